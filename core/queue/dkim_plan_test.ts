import { assertEquals } from "../../tests/helpers/assert.ts";
import {
  chooseDkimAction,
  controlDir,
  type DkimAction,
  dkimActive,
  planDkim,
} from "./dkim_plan.ts";
import { IMPLICIT_DKIMKEY } from "./dkim_env.ts";
import { chooseAction, planQueue, queueProgram } from "./plan.ts";

const lookup = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("dkimActive() is a DKIM switch set (even empty) or the name qmail-dkim, never dkimkeys alone", () => {
  assertEquals(dkimActive(lookup({}), "/var/qmail/bin/qmail-queue"), false);
  assertEquals(dkimActive(lookup({ DKSIGN: "/k", DKVERIFY: "" }), "dk"), false);
  assertEquals(dkimActive(lookup({ NODKIMKEYS: "1" }), "dk"), false);
  assertEquals(dkimActive(lookup({ CONTROLDIR: "/c" }), "dk"), false);
  for (
    const name of [
      "DKIMSIGN",
      "DKIMKEY",
      "DKIMSIGNEXTRA",
      "DKIMVERIFY",
      "DKIMQUEUE",
    ]
  ) {
    assertEquals(dkimActive(lookup({ [name]: "" }), "qmail-dk"), true, name);
  }
  assertEquals(dkimActive(lookup({}), "/var/qmail/bin/qmail-dkim"), true);
});

Deno.test("chooseDkimAction() follows the mode table of dkim.md 6.2, first row that holds", () => {
  const verify = (letters: string): DkimAction => ({
    kind: "verify",
    dkimverify: letters,
  });
  const sign = (keyPath: string): DkimAction => ({ kind: "sign", keyPath });
  const none: DkimAction = { kind: "none" };
  const remote = { TCPREMOTEIP: "192.0.2.1" };
  const table: [Record<string, string>, DkimAction][] = [
    // Relay with DKIMVERIFY and RELAYCLIENT_NODKIMVERIFY: nothing.
    [{
      ...remote,
      RELAYCLIENT: "",
      DKIMVERIFY: "FGH",
      RELAYCLIENT_NODKIMVERIFY: "",
    }, none],
    [{
      ...remote,
      AUTHINFO: "u",
      DKIMSIGN: "k/%",
      DKIMVERIFY: "F",
      RELAYCLIENT_NODKIMVERIFY: "1",
    }, none],
    // ... but RELAYCLIENT_NODKIMVERIFY without DKIMVERIFY does not hold.
    [
      { ...remote, RELAYCLIENT: "", RELAYCLIENT_NODKIMVERIFY: "1" },
      sign(IMPLICIT_DKIMKEY),
    ],
    // DKIMSIGN="" does not sign; DKIMVERIFY decides.
    [{ ...remote, RELAYCLIENT: "", DKIMSIGN: "" }, none],
    [
      { ...remote, RELAYCLIENT: "", DKIMSIGN: "", DKIMVERIFY: "u" },
      verify("u"),
    ],
    [{ DKIMSIGN: "", DKIMVERIFY: "" }, verify("")],
    // DKIMSIGN for a relay client or local injection signs.
    [{ ...remote, RELAYCLIENT: "", DKIMSIGN: "k/%/s" }, sign("k/%/s")],
    [
      { ...remote, AUTHINFO: "", DKIMSIGN: "k/%/s", DKIMVERIFY: "U" },
      sign("k/%/s"),
    ],
    [{ DKIMSIGN: "/k/%/s" }, sign("/k/%/s")],
    // DKIMSIGN for a stranger: verified (annotate only without DKIMVERIFY).
    [{ ...remote, DKIMSIGN: "/k/%/s" }, verify("")],
    [{ ...remote, DKIMSIGN: "/k/%/s", DKIMVERIFY: "FGH" }, verify("FGH")],
    // A relay client without DKIMVERIFY: DKIMKEY, else the default key.
    [{ ...remote, RELAYCLIENT: "" }, sign(IMPLICIT_DKIMKEY)],
    [{ ...remote, AUTHINFO: "x", DKIMKEY: "/etc/k/%" }, sign("/etc/k/%")],
    [{ ...remote, RELAYCLIENT: "", DKIMKEY: "" }, sign(IMPLICIT_DKIMKEY)],
    // A relay client with DKIMVERIFY: verified.
    [{ ...remote, RELAYCLIENT: "", DKIMVERIFY: "FGH" }, verify("FGH")],
    // Local injection without DKIMSIGN: verified, never the implicit key.
    [{}, verify("")],
    [{ DKIMKEY: "/k/%" }, verify("")],
    [{ ...remote }, verify("")],
  ];
  for (const [vars, want] of table) {
    assertEquals(chooseDkimAction(lookup(vars)), want, JSON.stringify(vars));
  }
});

Deno.test("controlDir() is CONTROLDIR when absolute, else under the qmail home; default control", () => {
  assertEquals(controlDir(lookup({}), "/var/qmail"), "/var/qmail/control");
  assertEquals(controlDir(lookup({ CONTROLDIR: "" }), "/q"), "/q/control");
  assertEquals(controlDir(lookup({ CONTROLDIR: "etc" }), "/q"), "/q/etc");
  assertEquals(controlDir(lookup({ CONTROLDIR: "/etc/qc" }), "/q"), "/etc/qc");
});

Deno.test("planDkim() is null for a DomainKeys-only host and a plan otherwise", () => {
  assertEquals(planDkim(lookup({ RELAYCLIENT: "" }), "qmail-dk", "/q"), null);
  assertEquals(planDkim(lookup({ DKIMVERIFY: "" }), "qmail-dk", "/q"), {
    action: { kind: "verify", dkimverify: "" },
    controlDir: "/q/control",
  });
  assertEquals(planQueue(lookup({ DKSIGN: "/k" }), "qmail-dk").dkim, null);
});

Deno.test("under the name qmail-dkim DomainKeys runs only with DKSIGN or DKVERIFY (dkim.md 6.1)", () => {
  const relay = lookup({ RELAYCLIENT: "" });
  assertEquals(chooseAction(relay, "/q", "/var/qmail/bin/qmail-dkim"), {
    kind: "pass",
  });
  assertEquals(chooseAction(relay, "/q", "qmail-dk"), {
    kind: "sign",
    dksign: "/q/control/domainkeys/%/private",
  });
  assertEquals(
    chooseAction(
      lookup({ RELAYCLIENT: "", DKSIGN: "/k/%" }),
      "/q",
      "qmail-dkim",
    ),
    { kind: "sign", dksign: "/k/%" },
  );
  assertEquals(
    chooseAction(lookup({ DKVERIFY: "B" }), "/q", "qmail-dkim"),
    { kind: "verify", dkverify: "B" },
  );
});

Deno.test("queueProgram() takes DKIMQUEUE first, then DKQUEUE, then the default (dkim.md 6.11)", () => {
  assertEquals(
    queueProgram(lookup({ DKIMQUEUE: "/a", DKQUEUE: "/b" }), "qmail-dk"),
    "/a",
  );
  assertEquals(
    queueProgram(lookup({ DKIMQUEUE: "", DKQUEUE: "/b" }), "qmail-dk"),
    "/b",
  );
  assertEquals(
    queueProgram(lookup({ DKIMQUEUE: "" }), "qmail-dkim"),
    "bin/qmail-queue",
  );
  assertEquals(
    queueProgram(lookup({}), "/x/qmail-queue"),
    "bin/qmail-queue.orig",
  );
});
