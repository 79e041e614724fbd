import { assertEquals } from "../../tests/helpers/assert.ts";
import { firstNameserver, parseServer } from "./server.ts";

Deno.test("parseServer() reads IPv4 and [IPv6] addresses with optional ports", () => {
  const cases: [string, string, number, 4 | 6][] = [
    ["127.0.0.1", "127.0.0.1", 53, 4],
    ["127.0.0.1:5353", "127.0.0.1", 5353, 4],
    ["[::1]", "::1", 53, 6],
    ["[::1]:5300", "::1", 5300, 6],
    ["::1", "::1", 53, 6],
    ["2001:db8::53", "2001:db8::53", 53, 6],
    ["[fe80::1%eth0]:53", "fe80::1%eth0", 53, 6],
  ];
  for (const [text, host, port, family] of cases) {
    assertEquals(
      parseServer(text),
      { ok: true, value: { host, port, family } },
      text,
    );
  }
});

Deno.test("parseServer() refuses host names, bad ports and broken brackets with one line", () => {
  for (
    const text of [
      "",
      "dns.example.com",
      "127.0.0.1:0",
      "127.0.0.1:65536",
      "127.0.0.1:x",
      "[::1",
      "[::1]x",
      "[1.2.3.4]",
      "300.1.1.1",
      "1.2.3",
      "1:2:3:4:5:6:7:8:9",
    ]
  ) {
    const r = parseServer(text);
    if (r.ok) throw new Error(`accepted ${text}`);
    if (
      !r.error.startsWith(`Cannot use DNS server "${text}": `) ||
      r.error.includes("\n")
    ) throw new Error(r.error);
  }
});

Deno.test("firstNameserver() takes the first usable nameserver line of resolv.conf", () => {
  const conf =
    "# generated\nsearch example.com\nnameserver bogus\nnameserver 10.0.0.53 # main\nnameserver 10.0.0.54\n";
  assertEquals(firstNameserver(conf), {
    host: "10.0.0.53",
    port: 53,
    family: 4,
  });
  assertEquals(firstNameserver("nameserver ::1\n"), {
    host: "::1",
    port: 53,
    family: 6,
  });
  assertEquals(firstNameserver("options ndots:1\n"), null);
});
