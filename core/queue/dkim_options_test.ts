import {
  assert,
  assertEquals,
  assertMatch,
  assertStrictEquals,
} from "../../tests/helpers/assert.ts";
import type { CanonMode } from "../dkim/canon_header.ts";
import {
  excludedNames,
  isIdentitySyntax,
  parseExpire,
  parseSignOptions,
  type SignOptionSet,
  signSettings,
} from "./dkim_options.ts";

function options(text: string | undefined): SignOptionSet {
  const parsed = parseSignOptions(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function refusal(text: string): string {
  const parsed = parseSignOptions(text);
  if (parsed.ok) throw new Error(`${JSON.stringify(text)} was accepted`);
  return parsed.error;
}

Deno.test("parseSignOptions() gives relaxed/relaxed and nothing else for no options", () => {
  const defaults: SignOptionSet = {
    canon: { header: "relaxed", body: "relaxed" },
    query: false,
    ignored: [],
  };
  assertEquals(options(undefined), defaults);
  assertEquals(options(""), defaults);
  assertEquals(options(" \t "), defaults);
});

Deno.test("parseSignOptions() reads -c as qmail-dkim assigns its letters (6.5 table)", () => {
  const table: [string, CanonMode, CanonMode][] = [
    ["r", "relaxed", "relaxed"],
    ["s", "simple", "simple"],
    ["t", "relaxed", "simple"],
    ["u", "simple", "relaxed"],
  ];
  for (const [letter, header, body] of table) {
    assertEquals(options(`-c ${letter}`).canon, { header, body });
    assertEquals(options(`-c${letter}`).canon, { header, body });
  }
});

Deno.test("parseSignOptions() refuses a -c that is not r, s, t or u", () => {
  assertMatch(refusal("-c x"), /^Option -c takes r, s, t or u, not "x"$/);
  assertMatch(refusal("-c relaxed"), /not "relaxed"/);
  assertMatch(refusal("-c R"), /not "R"/);
});

Deno.test("parseSignOptions() splits at SP and HTAB, clusters flags and takes attached arguments", () => {
  const set = options("-qt\t-cs  -x600 -i @mail.example.com -z 2 -lh -b 1");
  assertEquals(set, {
    canon: { header: "simple", body: "simple" },
    query: true,
    expire: 600,
    identity: "@mail.example.com",
    algorithm: 2,
    ignored: ["-t", "-l", "-h", "-b"],
  });
  assertEquals(options("-qcu").canon, { header: "simple", body: "relaxed" });
  assertStrictEquals(options("-qcu").query, true);
});

Deno.test("parseSignOptions() lets a later option win and lists an ignored one once", () => {
  const set = options("-c s -c t -l -l -x 5 -x -");
  assertEquals(set.canon, { header: "relaxed", body: "simple" });
  assertEquals(set.ignored, ["-l"]);
  assertStrictEquals(set.expire, null);
});

Deno.test("parseSignOptions() reads -x as positive seconds or '-' for none", () => {
  assertStrictEquals(options("-x 604800").expire, 604800);
  assertStrictEquals(options("-x 0060").expire, 60);
  assertStrictEquals(options("-x -").expire, null);
  assertStrictEquals(options("-q").expire, undefined);
  for (const bad of ["0", "-5", "1h", "99999999999999", "1.5"]) {
    assertMatch(refusal(`-x ${bad}`), /^Option -x takes a positive number/);
  }
});

Deno.test("parseSignOptions() reads -z 1 to 4 and refuses others", () => {
  for (const n of [1, 2, 3, 4]) {
    assertStrictEquals(options(`-z${n}`).algorithm, n);
  }
  assertMatch(refusal("-z 5"), /^Option -z takes 1, 2, 3 or 4, not "5"$/);
  assertMatch(refusal("-z 22"), /not "22"/);
});

Deno.test("parseSignOptions() refuses unknown options, missing arguments and stray words", () => {
  assertStrictEquals(refusal("-q -y"), 'Unknown option "-y"');
  assertStrictEquals(refusal("-qk"), 'Unknown option "-k"');
  assertStrictEquals(refusal("-c"), "Option -c needs an argument");
  assertStrictEquals(refusal("-q -x"), "Option -x needs an argument");
  assertMatch(refusal("-q relaxed"), /^Unexpected word "relaxed"/);
  assertMatch(refusal("-q -- -l"), /^Unexpected word "-l"/);
  assertMatch(refusal("- -q"), /^Unexpected word "-"/);
  assertMatch(refusal("-\x01"), /^Unknown option "-\\x01"$/);
});

Deno.test("parseSignOptions() takes the next word as the argument even when it starts with '-'", () => {
  assertStrictEquals(options("-i -q").identity, "-q");
  assertStrictEquals(options("-i -q").query, false);
});

Deno.test("parseExpire() takes positive decimals, treats empty as unset, refuses the rest", () => {
  assertEquals(parseExpire(undefined), { ok: true, value: undefined });
  assertEquals(parseExpire(""), { ok: true, value: undefined });
  assertEquals(parseExpire("86400"), { ok: true, value: 86400 });
  for (const bad of ["0", " 5", "5s", "-1", "+5", "1e3", "123456789012"]) {
    const parsed = parseExpire(bad);
    assert(!parsed.ok, bad);
    assertMatch(
      parsed.error,
      /^DKIMEXPIRE ".*" is not a positive number of seconds$/,
    );
  }
});

Deno.test("isIdentitySyntax() accepts [local]@domain in printable ASCII only", () => {
  for (
    const good of [
      "@example.com",
      "user@example.com",
      "user+tag@Mail.Example.COM",
      "a.b@x_y.example",
    ]
  ) {
    assert(isIdentitySyntax(good), good);
  }
  for (
    const bad of [
      "",
      "example.com",
      "user@",
      "a@b@example.com",
      "user name@example.com",
      "us\u00e9r@example.com",
      "user@ex\u00e4mple.com",
      "user;x@example.com",
      "user=1@example.com",
      "user@example..com",
      "user@example.com.",
      "user@exa mple.com",
      "user\t@example.com",
    ]
  ) {
    assert(!isIdentitySyntax(bad), bad);
  }
});

Deno.test("excludedNames() lowercases the :-list, drops empties and never drops from", () => {
  assertEquals(
    [...excludedNames("Received: X-Mailer::from:FROM: Cc ")],
    ["received", "x-mailer", "cc"],
  );
  assertEquals(excludedNames(undefined).size, 0);
  assertEquals(excludedNames("").size, 0);
});

Deno.test("signSettings() lets -i win over DKIMIDENTITY and -x over DKIMEXPIRE", () => {
  assertEquals(
    signSettings({
      options: "-i a@example.com -x 60 -q",
      identity: "b@example.com",
      expire: "600",
    }),
    {
      ok: true,
      value: {
        canon: { header: "relaxed", body: "relaxed" },
        identity: "a@example.com",
        expireSeconds: 60,
        query: true,
      },
    },
  );
  assertEquals(
    signSettings({ identity: "b@example.com", expire: "600" }),
    {
      ok: true,
      value: {
        canon: { header: "relaxed", body: "relaxed" },
        identity: "b@example.com",
        expireSeconds: 600,
        query: false,
      },
    },
  );
});

Deno.test("signSettings() with -x - writes no x= and does not read DKIMEXPIRE", () => {
  const settings = signSettings({ options: "-x -", expire: "junk" });
  assert(settings.ok);
  assertStrictEquals(settings.value.expireSeconds, undefined);
});

Deno.test("signSettings() drops an identity with bad syntax instead of failing", () => {
  const fromVariable = signSettings({ identity: "not an identity" });
  assert(fromVariable.ok);
  assertStrictEquals(fromVariable.value.identity, undefined);
  const fromOption = signSettings({
    options: "-i bad;id",
    identity: "ok@example.com",
  });
  assert(fromOption.ok);
  assertStrictEquals(fromOption.value.identity, undefined);
  const empty = signSettings({ identity: "" });
  assert(empty.ok);
  assertStrictEquals(empty.value.identity, undefined);
});

Deno.test("signSettings() fails in plain words on bad options or a bad DKIMEXPIRE", () => {
  assertEquals(signSettings({ options: "-c q" }), {
    ok: false,
    error: 'Option -c takes r, s, t or u, not "q"',
  });
  assertEquals(signSettings({ expire: "soon" }), {
    ok: false,
    error: 'DKIMEXPIRE "soon" is not a positive number of seconds',
  });
});
