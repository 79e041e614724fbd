/**
 * Whole-program tests of the commands' own contract (cli.md): keygen's file
 * modes and refusals, sign's permission warning, verify over files,
 * directories and Maildirs with --json, --add-header and --explain against a
 * zone file, and the demo.
 */
import { assertEquals, assertStringIncludes } from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";

const te = new TextEncoder();
const MESSAGE =
  "From: Joe <joe@example.com>\nTo: a@example.net\nSubject: t\n\nHello\n";

/** A temp dir with a fresh key `dir/sel`, its zone file, and a signed message. */
async function fixture() {
  const dir = await Deno.makeTempDir({ prefix: "dk-cli-test-" });
  const key = `${dir}/sel`;
  const keygen = await run(DK, ["keygen", key, "--bits", "1024"]);
  assertEquals(keygen.code, 0, keygen.stderrText);
  const records = await run(DK, [
    "dns",
    "records",
    "--domain",
    "example.com",
    "--key",
    key,
  ]);
  assertEquals(records.code, 0, records.stderrText);
  const zone = `${dir}/zone`;
  await Deno.writeTextFile(
    zone,
    "$ORIGIN example.com.\n@ IN SOA ns hostmaster 1 2 3 4 5\n" +
      records.stdoutText,
  );
  const signed = await run(DK, ["sign", "--key", key], {
    stdin: te.encode(MESSAGE),
  });
  assertEquals(signed.code, 0, signed.stderrText);
  return {
    dir,
    key,
    zone,
    signed: signed.stdoutText,
    keygen: keygen.stdoutText,
  };
}

Deno.test("dk keygen writes a 0600 PKCS#1 key by temp file and prints the BIND selector record", async () => {
  const { dir, key, keygen } = await fixture();
  try {
    assertEquals((await Deno.stat(key)).mode! & 0o777, 0o600);
    assertStringIncludes(
      await Deno.readTextFile(key),
      "-----BEGIN RSA PRIVATE KEY-----",
    );
    assertEquals(
      /^sel\._domainkey\tIN\tTXT\t"k=rsa; p=[A-Za-z0-9+/=]+"\n$/.test(keygen),
      true,
      keygen,
    );
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assertEquals(names, ["sel", "zone"], "no temporary file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dk keygen --group writes 0640 with that group; --force replaces; a bad selector is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dk-cli-test-" });
  try {
    const grouped = await run(DK, [
      "keygen",
      `${dir}/g`,
      "--bits",
      "1024",
      "--group",
      "0",
    ]);
    assertEquals(grouped.code, 0, grouped.stderrText);
    const info = await Deno.stat(`${dir}/g`);
    assertEquals([info.mode! & 0o777, info.gid], [0o640, 0]);
    const before = await Deno.readTextFile(`${dir}/g`);
    const forced = await run(DK, [
      "keygen",
      `${dir}/g`,
      "--bits",
      "1024",
      "--force",
    ]);
    assertEquals(forced.code, 0, forced.stderrText);
    assertEquals((await Deno.readTextFile(`${dir}/g`)) === before, false);
    const bad = await run(DK, ["keygen", `${dir}/bad_name`]);
    assertEquals(bad.code, 2);
    assertEquals(bad.stderrText.trim().split("\n").length, 1);
    const tiny = await run(DK, ["keygen", `${dir}/t`, "--format", "tinydns"]);
    assertEquals([tiny.code, tiny.stderrText.includes("--domain")], [2, true]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dk sign warns once on stderr about a world-readable key and still signs", async () => {
  const { dir, key } = await fixture();
  try {
    await Deno.chmod(key, 0o644);
    const r = await run(DK, ["sign", "--key", key], {
      stdin: te.encode(MESSAGE),
    });
    assertEquals(r.code, 0);
    assertEquals(r.stderrText.trim().split("\n").length, 1);
    assertStringIncludes(r.stderrText, "readable by everyone");
    assertEquals(r.stdoutText.startsWith("DomainKey-Signature:"), true);
    assertEquals(r.stdoutText.endsWith(MESSAGE), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dk verify reads files, folders and Maildirs in one process, with --json", async () => {
  const { dir, zone, signed } = await fixture();
  try {
    const maildir = `${dir}/Maildir`;
    for (const sub of ["cur", "new", "tmp"]) {
      await Deno.mkdir(`${maildir}/${sub}`, { recursive: true });
    }
    await Deno.writeTextFile(`${maildir}/new/1.eml`, signed);
    await Deno.writeTextFile(
      `${maildir}/cur/2.eml`,
      signed.replace("Hello", "Jello"),
    );
    await Deno.writeTextFile(
      `${maildir}/tmp/3.eml`,
      "not read: tmp/ is skipped",
    );
    await Deno.writeTextFile(`${dir}/plain.eml`, MESSAGE);
    const r = await run(DK, [
      "verify",
      "--zone",
      zone,
      "--json",
      maildir,
      `${dir}/plain.eml`,
    ]);
    assertEquals(r.code, 1, r.stderrText);
    const lines = r.stdoutText.trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.map((l) => [l.file, l.code, l.status]), [
      [`${maildir}/cur/2.eml`, "B", "bad"],
      [`${maildir}/new/1.eml`, "A", "good"],
      [`${dir}/plain.eml`, "C", "no signature"],
    ]);
    assertEquals([lines[1].domain, lines[1].selector], ["example.com", "sel"]);
    assertEquals(typeof lines[0].reason, "string");
    assertEquals(lines[2].policy, { o: "~", t: false, published: true });
    const good = await run(DK, [
      "verify",
      "--zone",
      zone,
      `${maildir}/new/1.eml`,
    ]);
    assertEquals([good.code, good.stdoutText], [
      0,
      `${maildir}/new/1.eml: A good (d=example.com s=sel)\n`,
    ]);
    const missing = await run(DK, ["verify", "--zone", zone, `${dir}/nope`]);
    assertEquals(missing.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dk verify --add-header prints the message under DomainKey-Status; --explain says what was checked", async () => {
  const { dir, zone, signed } = await fixture();
  try {
    const added = await run(DK, ["verify", "--zone", zone, "--add-header"], {
      stdin: te.encode(signed),
    });
    assertEquals(added.code, 0);
    assertEquals(added.stdoutText, "DomainKey-Status: good\n" + signed);
    const explained = await run(DK, ["verify", "--zone", zone, "--explain"], {
      stdin: te.encode(signed.replace("Hello", "Jello")),
    });
    assertEquals(explained.code, 1);
    assertStringIncludes(
      explained.stdoutText,
      "key record: TXT sel._domainkey.example.com",
    );
    assertStringIncludes(
      explained.stdoutText,
      "hashed headers (nofws): From, To, Subject",
    );
    assertStringIncludes(explained.stdoutText, "result: B");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dk demo runs the whole workflow offline and every step succeeds", async () => {
  const r = await run(DK, ["demo"], { timeoutMs: 120_000 });
  assertEquals(r.code, 0, r.stdoutText + r.stderrText);
  assertStringIncludes(r.stdoutText, "every step gave the expected result");
  assertEquals(r.stdoutText.includes("FAILED"), false);
});
