import { assertEquals } from "../../tests/helpers/assert.ts";
import { resolverFromOptions, timeoutFromEnv } from "./select.ts";

Deno.test("timeoutFromEnv() reads DK_DNS_TIMEOUT seconds and refuses nonsense", () => {
  assertEquals(timeoutFromEnv(undefined), { ok: true, value: 5000 });
  assertEquals(timeoutFromEnv("1"), { ok: true, value: 1000 });
  assertEquals(timeoutFromEnv("0.5"), { ok: true, value: 500 });
  for (const bad of ["0", "-1", "x", "1e3", "301"]) {
    const r = timeoutFromEnv(bad);
    if (r.ok) throw new Error(`accepted ${bad}`);
  }
});

Deno.test("resolverFromOptions() gives one-line errors for bad options and unreadable zone files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.db`, '$ORIGIN e.com.\nx TXT ( "a"\n');
    const cases: [Parameters<typeof resolverFromOptions>[0], string][] = [
      [
        { dns: "1.2.3.4", zone: "x", env: {} },
        "Cannot use --dns and --zone together: pick one",
      ],
      [
        { dns: "dns.example.com", env: {} },
        'Cannot use DNS server "dns.example.com": not an IP address (write HOST[:PORT] or [IPv6]:PORT)',
      ],
      [
        { env: { DK_DNS: "x:y" } },
        'Cannot use DNS server "x:y": port must be a number from 1 to 65535 (from DK_DNS)',
      ],
      [
        { env: { DK_DNS_TIMEOUT: "soon" } },
        'Cannot use DK_DNS_TIMEOUT "soon": give seconds, more than 0 and at most 300',
      ],
      [
        { zone: `${dir}/missing`, env: {} },
        `Cannot read zone file "${dir}/missing": no such file`,
      ],
      [
        { zone: `${dir}/bad.db`, env: {} },
        `Cannot use zone file ${dir}/bad.db:2: unbalanced parentheses`,
      ],
    ];
    for (const [options, message] of cases) {
      const r = resolverFromOptions(options);
      assertEquals(r.ok ? "ok" : r.error, message);
    }
    assertEquals(
      resolverFromOptions({ env: { DK_DNS: "127.0.0.1:5353" } }).ok,
      true,
    );
    assertEquals(
      resolverFromOptions({ env: {}, resolvConf: `${dir}/none` }).ok,
      true,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolverFromOptions() reads --zone files with the origin given", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/z.db`, '_domainkey IN TXT "o=~"\n');
    const r = resolverFromOptions({
      zone: `${dir}/z.db`,
      env: {},
      origin: "example.com",
    });
    if (!r.ok) throw new Error(r.error);
    assertEquals((await r.value.txt("_domainkey.example.com")).kind, "records");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
