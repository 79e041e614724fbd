import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  RFC6376_MESSAGE,
  RFC6376_MESSAGE_PRINTED_BODY,
  RFC6376_RECORDS,
} from "./_rfc6376.ts";
import { DkimVerifier } from "./verify.ts";
import { ALL_BACKENDS } from "../crypto/_testing.ts";
import { memoryResolver } from "../dns/memory_resolver.ts";

// dkim.md 8 row 3: RFC 6376 Appendix A with the key of Appendix C, as
// corrected by errata 3192 and 4926 (see _rfc6376.ts).

const NOW = 1764072000;

async function verify(message: string, backend = ALL_BACKENDS[0]) {
  const zone = Object.fromEntries(
    Object.entries(RFC6376_RECORDS).map(([name, text]) => [name, [[text]]]),
  );
  const verifier = new DkimVerifier({
    resolver: memoryResolver(zone),
    backend,
    now: () => NOW,
  });
  verifier.update(new TextEncoder().encode(message));
  return await verifier.finish();
}

Deno.test("RFC 6376 Appendix A as corrected by errata 3192 and 4926 is A on every backend", async () => {
  for (const backend of ALL_BACKENDS) {
    const result = await verify(RFC6376_MESSAGE, backend);
    assertEquals(result.letter, "A", backend.name);
    assertEquals(result.signatures.length, 1);
    const [sig] = result.signatures;
    assertEquals(sig.letter, "A", `${backend.name}: ${sig.reason}`);
    assertEquals(sig.domain, "example.com");
    assertEquals(sig.selector, "brisbane");
    assertEquals(sig.identity, "joe@football.example.com");
    assertEquals(sig.canonicalization, "simple/simple");
  }
});

Deno.test("RFC 6376 Appendix A with the body as printed (two spaces) is U", async () => {
  const result = await verify(RFC6376_MESSAGE_PRINTED_BODY);
  assertEquals(result.signatures.map((s) => s.letter), ["U"]);
  assertEquals(result.signatures[0].reason, "body hash differs (bh=)");
});
