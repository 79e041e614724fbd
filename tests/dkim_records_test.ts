/**
 * `dk keygen --type rsa|ed25519 --scheme dk|dkim|both --testing` and
 * `dk dns records --scheme dk|dkim|both --testing` (dkim.md 5.3–5.4) read
 * back by the real tools: openssl reads the Ed25519 key file and derives the
 * key that `p=` carries; the BIND lines pass named-checkzone; the tinydns
 * lines come back exact from tinydns-get; `--scheme dk` stays today's
 * output byte for byte. And a usage error, with its own words, for every
 * forbidden combination of flags.
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { DK, run } from "./helpers/mail_dkim.ts";

const PATH = `${Deno.env.get("PATH") ?? ""}:/usr/sbin:/sbin`;

async function must(
  program: string,
  args: string[],
  cwd?: string,
): Promise<string> {
  const r = await run(program, args, { cwd, env: { PATH } });
  if (r.code !== 0) {
    throw new Error(`${program} ${args.join(" ")}: ${r.code} ${r.stderrText}`);
  }
  return r.stdoutText;
}

/** The quoted strings of a BIND line (dk writes no escapes for key records). */
function bindStrings(line: string): string[] {
  return [...line.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]);
}

/** The raw 32-byte Ed25519 public key of a PEM private key, by openssl, in base64. */
async function opensslEd25519Public(file: string): Promise<string> {
  const der = await run("openssl", [
    "pkey",
    "-in",
    file,
    "-pubout",
    "-outform",
    "DER",
  ]);
  assertEquals(der.code, 0, der.stderrText);
  assertEquals(der.stdout.length, 44);
  return btoa(String.fromCharCode(...der.stdout.slice(12)));
}

/** The base64 SPKI of an RSA private key, by openssl. */
async function opensslRsaSpki(file: string): Promise<string> {
  const pem = await must("openssl", ["rsa", "-in", file, "-pubout"]);
  return pem.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
}

const dir = await Deno.makeTempDir({ prefix: "dk-dkim-records-" });

Deno.test("dk keygen --type ed25519: PEM PKCS#8 that openssl reads, mode 0600, the DKIM record of its public key", async () => {
  const r = await run(DK, ["keygen", `${dir}/ed`, "--type", "ed25519"]);
  assertEquals(r.code, 0, r.stderrText);
  const pem = await Deno.readTextFile(`${dir}/ed`);
  assert(
    /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/
      .test(pem),
    pem,
  );
  assertEquals((await Deno.stat(`${dir}/ed`)).mode! & 0o777, 0o600);
  const raw = await opensslEd25519Public(`${dir}/ed`);
  assertEquals(
    r.stdoutText,
    `ed._domainkey\tIN\tTXT\t"v=DKIM1; k=ed25519; p=${raw}"\n`,
  );
  assertEquals(raw.length, 44);
  // --testing adds t=y; --group gives 0640; the file rules hold for Ed25519.
  const t = await run(DK, [
    "keygen",
    `${dir}/edt`,
    "--type",
    "ed25519",
    "--scheme",
    "dkim",
    "--testing",
    "--group",
    String(Deno.gid() ?? 0),
    "--domain",
    "example.com",
    "--format",
    "value",
  ]);
  assertEquals(t.code, 0, t.stderrText);
  assertEquals(
    t.stdoutText,
    `edt._domainkey\tv=DKIM1; k=ed25519; t=y; p=${await opensslEd25519Public(
      `${dir}/edt`,
    )}\n`,
  );
  assertEquals((await Deno.stat(`${dir}/edt`)).mode! & 0o777, 0o640);
  const again = await run(DK, ["keygen", `${dir}/ed`, "--type", "ed25519"]);
  assertEquals(again.code, 2);
  assert(again.stderrText.includes("exists: not replaced"), again.stderrText);
  assertEquals(await Deno.readTextFile(`${dir}/ed`), pem);
  const forced = await run(DK, [
    "keygen",
    `${dir}/ed`,
    "--type",
    "ed25519",
    "--force",
  ]);
  assertEquals(forced.code, 0, forced.stderrText);
  assert(await Deno.readTextFile(`${dir}/ed`) !== pem);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  assertEquals(names.filter((n) => n.includes(".tmp-")), []);
});

Deno.test("dk keygen --scheme dkim|both|dk for RSA: the DKIM form, and the DomainKeys form byte for byte as dk dns records prints it", async () => {
  const dkim = await run(DK, [
    "keygen",
    `${dir}/rd`,
    "--bits",
    "1024",
    "--scheme",
    "dkim",
    "--format",
    "value",
  ]);
  assertEquals(dkim.code, 0, dkim.stderrText);
  assertEquals(
    dkim.stdoutText,
    `rd._domainkey\tv=DKIM1; k=rsa; h=sha256; p=${await opensslRsaSpki(
      `${dir}/rd`,
    )}\n`,
  );
  assert((await Deno.readTextFile(`${dir}/rd`)).startsWith(
    "-----BEGIN RSA PRIVATE KEY-----",
  ));
  for (const scheme of [[], ["--scheme", "dk"], ["--scheme", "both"]]) {
    const name = `r${scheme.length ? scheme[1] : "default"}`;
    const made = await run(DK, [
      "keygen",
      `${dir}/${name}`,
      "--domain",
      "example.com",
      ...scheme,
    ]);
    assertEquals(made.code, 0, made.stderrText);
    const records = await must(DK, [
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      `${dir}/${name}`,
    ]);
    // keygen prints exactly the selector line of dk dns records (today's).
    assertEquals(made.stdoutText, records.split("\n")[0] + "\n");
    assertEquals(
      bindStrings(made.stdoutText).join(""),
      `k=rsa; p=${await opensslRsaSpki(`${dir}/${name}`)}`,
    );
  }
  const testing = await run(DK, [
    "keygen",
    `${dir}/rt`,
    "--bits",
    "1024",
    "--testing",
    "--format",
    "value",
  ]);
  assertEquals(
    testing.stdoutText,
    `rt._domainkey\tk=rsa; t=y; p=${await opensslRsaSpki(`${dir}/rt`)}\n`,
  );
});

Deno.test("dk dns records --scheme dkim: one selector record in BIND (named-checkzone), tinydns (tinydns-get) and value forms", async () => {
  await must(DK, ["keygen", `${dir}/s2048`, "--scheme", "dkim"]);
  await must(DK, ["keygen", `${dir}/s25519`, "--type", "ed25519"]);
  const values: Record<string, string> = {
    s2048: `v=DKIM1; k=rsa; h=sha256; p=${await opensslRsaSpki(
      `${dir}/s2048`,
    )}`,
    s25519: `v=DKIM1; k=ed25519; p=${await opensslEd25519Public(
      `${dir}/s25519`,
    )}`,
  };
  for (const [selector, value] of Object.entries(values)) {
    const args = [
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      `${dir}/${selector}`,
      "--scheme",
      "dkim",
    ];
    const bind = await must(DK, args);
    const lines = bind.trimEnd().split("\n");
    assertEquals(lines.length, 1, bind);
    assert(
      lines[0].startsWith(`${selector}._domainkey.example.com.\tIN\tTXT\t"`),
    );
    const strings = bindStrings(lines[0]);
    assertEquals(strings.join(""), value);
    assertEquals(strings.length, value.length > 255 ? 2 : 1);
    const zone = `${dir}/db.${selector}`;
    await Deno.writeTextFile(
      zone,
      "$TTL 3600\n@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 900 604800 300\n  IN NS ns.example.com.\nns IN A 192.0.2.1\n" +
        bind,
    );
    const checked = await run("named-checkzone", ["example.com", zone], {
      env: { PATH },
    });
    assertEquals(checked.code, 0, checked.stdoutText + checked.stderrText);
    const tiny = await must(DK, [...args, "--format", "tinydns"]);
    const work = await Deno.makeTempDir({ dir });
    await Deno.writeTextFile(
      `${work}/data`,
      ".example.com::ns.example.com\n" + tiny,
    );
    await must("tinydns-data", [], work);
    const got = await must("tinydns-get", [
      "16",
      `${selector}._domainkey.example.com`,
    ], work);
    const answer = got.split("\n").find((l) => l.startsWith("answer: "));
    assert(answer !== undefined, got);
    // tinydns-get shows the RDATA octal-escaped: strings with length bytes.
    const text = answer.replace(/^answer: \S+ \d+ 16 /, "").replace(
      /\\([0-7]{3})/g,
      (_, o) => String.fromCharCode(parseInt(o, 8)),
    );
    let joined = "";
    for (let at = 0; at < text.length; at += 1 + text.charCodeAt(at)) {
      joined += text.slice(at + 1, at + 1 + text.charCodeAt(at));
    }
    assertEquals(joined, value);
    assertEquals(
      await must(DK, [...args, "--format", "value"]),
      `${selector}._domainkey\t${value}\n`,
    );
    const testing = await must(DK, [...args, "--format", "value", "--testing"]);
    assertEquals(
      testing,
      `${selector}._domainkey\t${value.replace("; p=", "; t=y; p=")}\n`,
    );
  }
});

Deno.test("dk dns records --public: PEM SPKI (RSA, Ed25519) and a file of raw base64; --scheme both: DK selector form plus the policy", async () => {
  const edPub = await must("openssl", [
    "pkey",
    "-in",
    `${dir}/s25519`,
    "-pubout",
  ]);
  await Deno.writeTextFile(`${dir}/s25519.pub`, edPub);
  const raw = await opensslEd25519Public(`${dir}/s25519`);
  await Deno.writeTextFile(`${dir}/raw.pub`, raw + "\n", { mode: 0o644 });
  await Deno.chmod(`${dir}/raw.pub`, 0o644);
  for (
    const [file, selector] of [
      ["s25519.pub", []],
      ["raw.pub", ["--selector", "s25519"]],
    ] as [string, string[]][]
  ) {
    const r = await run(DK, [
      "dns",
      "records",
      "--domain",
      "example.com",
      "--public",
      `${dir}/${file}`,
      "--scheme",
      "dkim",
      "--format",
      "value",
      ...selector,
    ]);
    assertEquals(
      [r.code, r.stdoutText, r.stderrText],
      [0, `s25519._domainkey\tv=DKIM1; k=ed25519; p=${raw}\n`, ""],
      file,
    );
  }
  // A raw key readable by its owner only may be dknewkey's private seed.
  await Deno.chmod(`${dir}/raw.pub`, 0o600);
  const warned = await run(DK, [
    "dns",
    "records",
    "--domain",
    "example.com",
    "--public",
    `${dir}/raw.pub`,
    "--scheme",
    "dkim",
    "--selector",
    "s",
  ]);
  assertEquals(warned.code, 0);
  assert(warned.stderrText.includes("dknewkey's NAME.key"), warned.stderrText);
  const rsaPub = await must("openssl", [
    "rsa",
    "-in",
    `${dir}/s2048`,
    "-pubout",
  ]);
  await Deno.writeTextFile(`${dir}/s2048.pem`, rsaPub);
  const spki = await opensslRsaSpki(`${dir}/s2048`);
  for (
    const [scheme, want] of [
      ["dkim", `s2048._domainkey\tv=DKIM1; k=rsa; h=sha256; p=${spki}\n`],
      ["both", `s2048._domainkey\tk=rsa; p=${spki}\n_domainkey\to=~\n`],
      ["dk", `s2048._domainkey\tk=rsa; p=${spki}\n_domainkey\to=~\n`],
    ]
  ) {
    assertEquals(
      await must(DK, [
        "dns",
        "records",
        "--domain",
        "example.com",
        "--public",
        `${dir}/s2048.pem`,
        "--scheme",
        scheme,
        "--format",
        "value",
      ]),
      want,
      scheme,
    );
  }
  // --scheme dk is today's output, byte for byte, in every format.
  for (const format of ["bind", "tinydns", "value"]) {
    const base = [
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      `${dir}/s2048`,
      "--format",
      format,
    ];
    assertEquals(
      await must(DK, [...base, "--scheme", "dk"]),
      await must(DK, base),
    );
  }
});

Deno.test("dk keygen and dk dns records: every forbidden combination is a usage error (exit 2, one line, nothing written)", async () => {
  const ed = `${dir}/s25519`;
  const cases: [string[], string][] = [
    [
      ["keygen", `${dir}/u1`, "--type", "ed25519", "--bits", "2048"],
      "--bits does not apply to --type ed25519",
    ],
    [
      ["keygen", `${dir}/u2`, "--type", "ed25519", "--scheme", "dk"],
      "--type ed25519 serves DKIM only: --scheme dk",
    ],
    [
      ["keygen", `${dir}/u3`, "--type", "ed25519", "--scheme", "both"],
      "--type ed25519 serves DKIM only: --scheme both",
    ],
    [["keygen", `${dir}/u4`, "--type", "dsa"], 'Unknown key type "dsa"'],
    [["keygen", `${dir}/u5`, "--scheme", "arc"], 'Unknown scheme "arc"'],
    [["keygen", `${dir}/u6`, "--testing=yes"], "--testing"],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      `${dir}/s2048`,
      "--scheme",
      "dkim",
      "--policy",
      "o=-",
    ], "--policy does not apply to --scheme dkim"],
    [
      ["dns", "records", "--domain", "example.com", "--key", ed],
      "An Ed25519 key serves DKIM only: use --scheme dkim (not dk)",
    ],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      ed,
      "--scheme",
      "dk",
    ], "An Ed25519 key serves DKIM only: use --scheme dkim (not dk)"],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      ed,
      "--scheme",
      "both",
    ], "An Ed25519 key serves DKIM only: use --scheme dkim (not both)"],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--public",
      `${dir}/s25519.pub`,
      "--scheme",
      "both",
    ], "An Ed25519 key serves DKIM only"],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      `${dir}/s2048`,
      "--scheme",
      "arc",
    ], 'Unknown scheme "arc"'],
    [
      ["dns", "check", "example.com", "--scheme", "dkim"],
      "--scheme dkim checks a selector record: give --selector S or --key FILE",
    ],
    [
      ["dns", "check", "example.com", "--scheme", "both"],
      "--scheme both checks a selector record",
    ],
    [
      ["dns", "check", "example.com", "--key", ed],
      "an Ed25519 key serves DKIM only (use --scheme dkim)",
    ],
    [
      ["dns", "check", "example.com", "--key", ed, "--scheme", "both"],
      "with --scheme both: an Ed25519 key serves DKIM only",
    ],
    [
      ["dns", "check", "example.com", "--selector", "s", "--scheme", "arc"],
      'Unknown scheme "arc"',
    ],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--public",
      `${dir}/missing`,
      "--scheme",
      "dkim",
    ], `Cannot read public key file "${dir}/missing"`],
  ];
  for (const [args, fragment] of cases) {
    const r = await run(DK, args, { env: { DK_DNS: "127.0.0.1:9" } });
    assertEquals(r.code, 2, args.join(" "));
    assertEquals(r.stdoutText, "", args.join(" "));
    assert(
      r.stderrText.includes(fragment) &&
        r.stderrText.trimEnd().split("\n").length === 1,
      `${args.join(" ")}: ${r.stderrText}`,
    );
  }
  const left = [...Deno.readDirSync(dir)].map((e) => e.name);
  assertEquals(left.filter((n) => /^u[0-9]/.test(n)), []);
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* gone */ }
});
