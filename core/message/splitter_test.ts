import { assertEquals } from "../../tests/helpers/assert.ts";
import { type HeaderInfo, MessageSplitter } from "./splitter.ts";
import { MAX_HEADER_BYTES } from "./header.ts";

const te = new TextEncoder();
const td = new TextDecoder();

/** Splits `text` fed in chunks of `size`; the header names, info and body. */
function split(text: string, size: number) {
  const infos: HeaderInfo[] = [];
  const body: string[] = [];
  const splitter = new MessageSplitter(
    (info) => infos.push(info),
    (bytes) => body.push(td.decode(bytes)),
  );
  const bytes = te.encode(text);
  for (let at = 0; at < bytes.length; at += size) {
    splitter.update(bytes.subarray(at, at + size));
  }
  splitter.end();
  assertEquals(infos.length, 1, "headers reported once");
  const [info] = infos;
  return {
    names: [...info.fields].map((f) => td.decode(f.raw).split(":")[0]),
    crlf: info.crlf,
    overflow: info.overflow,
    body: body.join(""),
  };
}

Deno.test("MessageSplitter reports the fields once and streams the body, whatever the chunking", () => {
  const text = "From: a@b.c\nSubject: x\n  folded\n\nline 1\n\nline 3\n";
  for (const size of [1, 2, 3, 7, 64, text.length]) {
    assertEquals(split(text, size), {
      names: ["From", "Subject"],
      crlf: false,
      overflow: false,
      body: "line 1\n\nline 3\n",
    }, `chunks of ${size}`);
  }
});

Deno.test("MessageSplitter takes the line end of the first line", () => {
  assertEquals(split("From: a\r\nX: y\n\r\nbody", 1).crlf, true);
  assertEquals(split("From: a\nX: y\r\n\nbody", 1).crlf, false);
});

Deno.test("MessageSplitter reports a message with no empty line at its end, with no body", () => {
  assertEquals(split("From: a\nSubject: b\n", 3), {
    names: ["From", "Subject"],
    crlf: false,
    overflow: false,
    body: "",
  });
});

Deno.test("MessageSplitter marks a header section past its limit as overflow", () => {
  const line = "X: " + "y".repeat(76) + "\n";
  const text = line.repeat(Math.ceil(MAX_HEADER_BYTES / line.length) + 1) +
    "\nbody\n";
  assertEquals(split(text, 65536).overflow, true);
});
