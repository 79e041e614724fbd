/**
 * `dk dns records` read back by the real tools: the BIND lines inside a
 * minimal zone pass named-checkzone; the tinydns lines compiled by
 * tinydns-data and looked up with tinydns-get give the exact value; the
 * records loaded into a loopback dnsmasq come back through dig. Keys of
 * 1024, 2048 and 4096 bits made with openssl genrsa.
 */

import { assertEquals } from "./helpers/assert.ts";
import { startDnsmasq } from "./helpers/dnsmasq.ts";

const DK = new URL("../scripts/dk", import.meta.url).pathname;
const td = new TextDecoder();
const SIZES = [1024, 2048, 4096];

/** A program from PATH, or from /usr/sbin (tinydns-data lives there). */
function program(cmd: string): string {
  try {
    Deno.statSync(`/usr/sbin/${cmd}`);
    return `/usr/sbin/${cmd}`;
  } catch {
    return cmd;
  }
}

async function run(cmd: string, args: string[], cwd?: string) {
  const out = await new Deno.Command(cmd.includes("/") ? cmd : program(cmd), {
    args,
    cwd,
    stdin: "null",
  }).output();
  return {
    code: out.code,
    stdout: td.decode(out.stdout),
    stderr: td.decode(out.stderr),
  };
}

async function must(
  cmd: string,
  args: string[],
  cwd?: string,
): Promise<string> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  }
  return r.stdout;
}

/** A key made by openssl in `dir`, named after the selector, and its SPKI base64 from openssl. */
async function opensslKey(
  dir: string,
  bits: number,
): Promise<{ file: string; selector: string; value: string }> {
  const selector = `s${bits}`;
  const file = `${dir}/${selector}`;
  await must("openssl", ["genrsa", "-out", file, String(bits)]);
  const pem = await must("openssl", ["rsa", "-in", file, "-pubout"]);
  const spki = pem.split("\n").filter((l) => l && !l.startsWith("-----")).join(
    "",
  );
  return { file, selector, value: `k=rsa; p=${spki}` };
}

/** The quoted strings of a BIND line (dk writes no escapes for key records). */
function bindStrings(line: string): string[] {
  return [...line.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]);
}

/** tinydns-get's TXT answer: octal-escaped RDATA → joined character-strings. */
function tinydnsValue(output: string): string[] {
  const values: string[] = [];
  for (const line of output.split("\n")) {
    const m = /^answer: \S+ \d+ 16 (.*)$/.exec(line);
    if (!m) continue;
    const bytes: number[] = [];
    for (let i = 0; i < m[1].length;) {
      if (m[1][i] === "\\") {
        bytes.push(parseInt(m[1].slice(i + 1, i + 4), 8));
        i += 4;
      } else bytes.push(m[1].charCodeAt(i++));
    }
    let value = "";
    for (let at = 0; at < bytes.length;) {
      value += String.fromCharCode(...bytes.slice(at + 1, at + 1 + bytes[at]));
      at += 1 + bytes[at];
    }
    values.push(value);
  }
  return values;
}

const dir = await Deno.makeTempDir({ prefix: "dk-dns-records-" });
const keys = await Promise.all(SIZES.map((bits) => opensslKey(dir, bits)));

Deno.test({
  name:
    "dk dns records: BIND lines for 1024/2048/4096-bit keys pass named-checkzone, strings at most 255 octets",
  fn: async () => {
    for (const key of keys) {
      for (const withPolicy of [undefined, "t=y; o=-"]) {
        const args = [
          "dns",
          "records",
          "--domain",
          "example.com",
          "--key",
          key.file,
        ];
        if (withPolicy) args.push("--policy", withPolicy);
        const out = await must(DK, args);
        const lines = out.trimEnd().split("\n");
        assertEquals(lines.length, 2);
        assertEquals(
          lines[0].startsWith(
            `${key.selector}._domainkey.example.com.\tIN\tTXT\t"`,
          ),
          true,
        );
        assertEquals(bindStrings(lines[0]).join(""), key.value);
        for (const s of bindStrings(lines[0])) {
          if (s.length > 255) throw new Error(`string of ${s.length}`);
        }
        assertEquals(
          lines[1],
          `_domainkey.example.com.\tIN\tTXT\t"${withPolicy ?? "o=~"}"`,
        );
        const zone = `${dir}/db.${key.selector}`;
        await Deno.writeTextFile(
          zone,
          "$TTL 3600\n@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 900 604800 300\n  IN NS ns.example.com.\nns IN A 192.0.2.1\n" +
            out,
        );
        const check = await run("named-checkzone", ["example.com", zone]);
        if (check.code !== 0 || !check.stdout.includes("OK")) {
          throw new Error(check.stdout + check.stderr);
        }
      }
    }
  },
});

Deno.test("dk dns records: tinydns lines compiled by tinydns-data come back exact from tinydns-get", async () => {
  for (const key of keys) {
    const out = await must(DK, [
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      key.file,
      "--format",
      "tinydns",
    ]);
    const work = await Deno.makeTempDir({ dir });
    await Deno.writeTextFile(
      `${work}/data`,
      ".example.com::ns.example.com\n" + out,
    );
    await must("tinydns-data", [], work);
    const selector = await must("tinydns-get", [
      "16",
      `${key.selector}._domainkey.example.com`,
    ], work);
    assertEquals(tinydnsValue(selector), [key.value]);
    const policy = await must(
      "tinydns-get",
      ["16", "_domainkey.example.com"],
      work,
    );
    assertEquals(tinydnsValue(policy), ["o=~"]);
  }
});

Deno.test("dk dns records: what dk publishes, loaded into dnsmasq, is what dig returns", async () => {
  const txt = [];
  for (const key of keys) {
    const out = await must(DK, [
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      key.file,
    ]);
    const [selectorLine] = out.split("\n");
    txt.push({
      name: `${key.selector}._domainkey.example.com`,
      strings: bindStrings(selectorLine),
    });
  }
  const server = await startDnsmasq({ zones: ["example.com"], txt });
  try {
    for (const key of keys) {
      const out = await must("dig", [
        "+short",
        "+tcp",
        "-p",
        String(server.port),
        "@127.0.0.1",
        `${key.selector}._domainkey.example.com`,
        "TXT",
      ]);
      assertEquals(bindStrings(out.trim()).join(""), key.value);
      const udp = await must("dig", [
        "+short",
        "+bufsize=4096",
        "-p",
        String(server.port),
        "@127.0.0.1",
        `${key.selector}._domainkey.example.com`,
        "TXT",
      ]);
      assertEquals(bindStrings(udp.trim()).join(""), key.value);
    }
  } finally {
    await server.stop();
  }
});

Deno.test("dk dns records: --format value gives the host field and the bare value; --public works too", async () => {
  const key = keys[1];
  await Deno.writeTextFile(
    `${dir}/${key.selector}.pub`,
    await must("openssl", ["rsa", "-in", key.file, "-pubout"]),
  );
  const out = await must(DK, [
    "dns",
    "records",
    "--domain",
    "example.com",
    "--public",
    `${dir}/${key.selector}.pub`,
    "--format",
    "value",
    "--policy",
    "o=-",
  ]);
  assertEquals(
    out,
    `${key.selector}._domainkey\t${key.value}\n_domainkey\to=-\n`,
  );
});

Deno.test("dk dns records: usage errors are one line on stderr and exit 2", async () => {
  const cases: [string[], string][] = [
    [["dns", "records", "--key", keys[0].file], "Missing --domain"],
    [
      ["dns", "records", "--domain", "example.com"],
      "Give --key FILE or --public FILE",
    ],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      keys[0].file,
      "--format",
      "djb",
    ], 'Unknown format "djb"'],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      keys[0].file,
      "--policy",
      "o=+",
    ], "o= must be ~ or -"],
    [
      ["dns", "records", "--domain", "exa mple", "--key", keys[0].file],
      'Cannot use domain "exa mple"',
    ],
    [
      ["dns", "records", "--domain", "example.com", "--key", `${dir}/missing`],
      `Cannot read key file "${dir}/missing": no such file`,
    ],
    [[
      "dns",
      "records",
      "--domain",
      "example.com",
      "--key",
      keys[0].file,
      "--selector",
      "a_b",
    ], 'Cannot use selector "a_b"'],
    [["dns", "nonsense"], 'Unknown subcommand "nonsense"'],
  ];
  for (const [args, fragment] of cases) {
    const r = await run(DK, args);
    assertEquals(r.code, 2, args.join(" "));
    assertEquals(r.stdout, "");
    if (!r.stderr.includes(fragment) || r.stderr.includes("    at ")) {
      throw new Error(`${args.join(" ")}: ${r.stderr}`);
    }
  }
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* gone */ }
});
