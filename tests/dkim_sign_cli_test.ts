/**
 * `dk sign --scheme dkim|both` as a command (cli.md "DKIM additions",
 * dkim.md 5.1): the tags the flags write, field order, line ends, the exit
 * codes and what stdout holds on exit 1, and the usage errors.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";

const te = new TextEncoder();
const MESSAGE =
  "From: Joe <joe@example.com>\nTo: a@example.net\nSubject: t\n\nHello\n";

async function keys() {
  const dir = await Deno.makeTempDir({ prefix: "dk-dkim-sign-" });
  const rsa = `${dir}/s1`;
  const ed = `${dir}/ed`;
  for (
    const args of [
      ["genrsa", "-traditional", "-out", rsa, "1024"],
      ["genpkey", "-algorithm", "ed25519", "-out", ed],
    ]
  ) {
    const r = await run("openssl", args);
    assertEquals(r.code, 0, r.stderrText);
  }
  return { dir, rsa, ed };
}

function sign(args: string[], message = MESSAGE) {
  return run(DK, ["sign", ...args], { stdin: te.encode(message) });
}

/** The unfolded fields above the message, as `name: value` lines. */
function fieldsAbove(out: string, message: string): string[] {
  assert(out.endsWith(message), "the message follows byte for byte");
  return out.slice(0, out.length - message.length)
    .replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/).filter((l) => l !== "");
}

Deno.test("dk sign --dkim writes the tags its flags ask for; --scheme both puts DKIM (2nd key), DKIM (1st key), DomainKey-Signature on top", async () => {
  const k = await keys();
  try {
    const r = await sign([
      "--dkim",
      "--key",
      k.ed,
      "--selector",
      "s\u00e9l",
      "--domain",
      "B\u00fccher.example",
      "--canon",
      "simple",
      "--headers",
      "From:Subject:subject",
      "--identity",
      "joe@mail.b\u00fccher.example",
      "--at",
      "1700000000",
      "--expire",
      "600",
    ], MESSAGE.replace("example.com", "b\xfccher.example"));
    assertEquals(r.code, 0, r.stderrText);
    const [field] = fieldsAbove(
      r.stdoutText,
      MESSAGE.replace("example.com", "b\xfccher.example"),
    );
    assertStringIncludes(
      field,
      "DKIM-Signature: v=1; a=ed25519-sha256; c=simple/simple; d=xn--bcher-kva.example; s=xn--sl-bja; i=joe@mail.xn--bcher-kva.example; t=1700000000; x=1700000600; h=from:subject:subject; bh=",
    );
    assert(!/ l=| z=/.test(field));

    const both = await sign([
      "--scheme",
      "both",
      "--key",
      k.rsa,
      "--key",
      k.ed,
    ], MESSAGE.replace(/\n/g, "\r\n"));
    assertEquals(both.code, 0, both.stderrText);
    const fields = fieldsAbove(both.stdoutText, MESSAGE.replace(/\n/g, "\r\n"));
    assertEquals(fields.map((f) => f.slice(0, f.indexOf(";"))), [
      "DKIM-Signature: v=1",
      "DKIM-Signature: v=1",
      "DomainKey-Signature: a=rsa-sha1",
    ]);
    assertStringIncludes(fields[0], "a=ed25519-sha256");
    assertStringIncludes(fields[1], "a=rsa-sha256; c=relaxed/relaxed");
    assertStringIncludes(fields[2], "c=nofws");
    const head = both.stdoutText.slice(0, both.stdoutText.indexOf("From:"));
    assertEquals(head.split("\n").length, head.split("\r\n").length);
  } finally {
    await Deno.remove(k.dir, { recursive: true });
  }
});

Deno.test("dk sign --dkim exit 1: no usable From gives nothing on stdout; --scheme both on a DK-signed message keeps the DKIM signature made", async () => {
  const k = await keys();
  try {
    const noFrom = await sign(
      ["--dkim", "--key", k.ed],
      "To: a@example.net\n\nx\n",
    );
    assertEquals([noFrom.code, noFrom.stdoutText], [1, ""]);
    assertStringIncludes(noFrom.stderrText, "no From field");
    const twoFrom = await sign(
      ["--dkim", "--key", k.ed],
      "From: a@example.com\nFrom: b@example.com\n\nx\n",
    );
    assertEquals([twoFrom.code, twoFrom.stdoutText], [1, ""]);
    const outside = await sign([
      "--dkim",
      "--key",
      k.ed,
      "--identity",
      "joe@example.org",
    ]);
    assertEquals([outside.code, outside.stdoutText], [1, ""]);

    const dkSigned = await sign(["--key", k.rsa]);
    assertEquals(dkSigned.code, 0);
    const again = await sign(
      ["--scheme", "both", "--key", k.rsa],
      dkSigned.stdoutText,
    );
    assertEquals(again.code, 1);
    assertStringIncludes(again.stderrText, "already has a DomainKey-Signature");
    const fields = fieldsAbove(again.stdoutText, dkSigned.stdoutText);
    assertEquals(fields.length, 1);
    assert(fields[0].startsWith("DKIM-Signature: v=1; a=rsa-sha256;"));
  } finally {
    await Deno.remove(k.dir, { recursive: true });
  }
});

Deno.test("dk sign: flags for the wrong scheme and bad DKIM flags are usage errors (exit 2, nothing on stdout)", async () => {
  const k = await keys();
  try {
    // The same flags used rightly sign.
    for (
      const args of [
        ["--dkim", "--key", k.rsa, "--key", k.ed, "--at", "1700000000"],
        ["--scheme", "both", "--key", k.rsa, "--canon", "simple/relaxed"],
      ]
    ) {
      const r = await sign(args);
      assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderrText}`);
    }
    const cases: string[][] = [
      ["--key", k.rsa, "--identity", "@example.com"],
      ["--key", k.rsa, "--at", "1700000000"],
      ["--key", k.rsa, "--key", k.ed],
      ["--dkim", "--scheme", "both", "--key", k.rsa],
      ["--scheme", "arc", "--key", k.rsa],
      ["--dkim", "--key", k.rsa, "--key", k.ed, "--selector", "x"],
      ["--dkim", "--key", k.rsa, "--key", k.ed, "--key", k.rsa],
      ["--dkim", "--key", k.rsa, "--canon", "nofws"],
      ["--scheme", "both", "--key", k.rsa, "--canon", "nofws"],
      ["--dkim", "--key", k.rsa, "--canon", "relaxed/loose"],
      ["--dkim", "--key", k.rsa, "--headers", "to:subject"],
      ["--dkim", "--key", k.rsa, "--expire", "0"],
      ["--dkim", "--key", k.rsa, "--at", "noon"],
      ["--dkim", "--key", k.rsa, "--identity", "joe"],
      ["--dkim", "--key", k.rsa, "--domain", "not a domain"],
      ["--scheme", "both", "--key", k.ed],
      ["--dkim", "--key", `${k.dir}/missing`],
    ];
    for (const args of cases) {
      const r = await sign(args);
      assertEquals([r.code, r.stdoutText], [2, ""], args.join(" "));
      assertEquals(r.stderrText.startsWith("dk: "), true, r.stderrText);
    }
  } finally {
    await Deno.remove(k.dir, { recursive: true });
  }
});
