import { assertEquals } from "../../tests/helpers/assert.ts";
import { chooseAction, planQueue, queueProgram } from "./plan.ts";

const lookup = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("chooseAction() follows the mode table of domainkeys.md 2.1", () => {
  const K = "/var/qmail/control/domainkeys/%/private";
  const table: [Record<string, string>, ReturnType<typeof chooseAction>][] = [
    // RELAYCLIENT set (even empty), DKSIGN set: sign with DKSIGN.
    [{ RELAYCLIENT: "", DKSIGN: "/k/%/s" }, { kind: "sign", dksign: "/k/%/s" }],
    [{ RELAYCLIENT: "1", DKSIGN: "/k/s", DKVERIFY: "B" }, {
      kind: "sign",
      dksign: "/k/s",
    }],
    // RELAYCLIENT set, neither DKSIGN nor DKVERIFY: the default key.
    [{ RELAYCLIENT: "" }, { kind: "sign", dksign: K }],
    // RELAYCLIENT set, DKSIGN unset, DKVERIFY set: verify.
    [{ RELAYCLIENT: "", DKVERIFY: "DEGIJKfh" }, {
      kind: "verify",
      dkverify: "DEGIJKfh",
    }],
    // RELAYCLIENT unset: DKSIGN ignored; DKVERIFY decides.
    [{ DKSIGN: "/k/%/s", DKVERIFY: "B" }, { kind: "verify", dkverify: "B" }],
    [{ DKVERIFY: "" }, { kind: "verify", dkverify: "" }],
    [{ DKSIGN: "/k/%/s" }, { kind: "pass" }],
    [{}, { kind: "pass" }],
    // DKSIGN="" means do not sign, and no default key.
    [{ RELAYCLIENT: "", DKSIGN: "" }, { kind: "pass" }],
    [{ RELAYCLIENT: "", DKSIGN: "", DKVERIFY: "b" }, {
      kind: "verify",
      dkverify: "b",
    }],
  ];
  for (const [vars, want] of table) {
    assertEquals(chooseAction(lookup(vars)), want, JSON.stringify(vars));
  }
});

Deno.test("chooseAction() puts the default key under the qmail home", () => {
  assertEquals(chooseAction(lookup({ RELAYCLIENT: "" }), "/q"), {
    kind: "sign",
    dksign: "/q/control/domainkeys/%/private",
  });
});

Deno.test("queueProgram() picks DKQUEUE, else qmail-queue(.orig) by argv[0]", () => {
  const table: [Record<string, string>, string, string][] = [
    [{ DKQUEUE: "/usr/bin/simscan" }, "qmail-queue", "/usr/bin/simscan"],
    [{ DKQUEUE: "" }, "/var/qmail/bin/qmail-queue", "bin/qmail-queue.orig"],
    [{}, "qmail-queue", "bin/qmail-queue.orig"],
    [{}, "/var/qmail/bin/qmail-dk", "bin/qmail-queue"],
    [{}, "scripts/dk", "bin/qmail-queue"],
    [{}, "/x/qmail-queue.orig", "bin/qmail-queue"],
  ];
  for (const [vars, argv0, want] of table) {
    assertEquals(
      queueProgram(lookup(vars), argv0),
      want,
      `${argv0} ${JSON.stringify(vars)}`,
    );
  }
});

Deno.test("planQueue() reads DK_QMAIL_HOME and DK_QUEUE_TIMEOUT, ignoring bad values", () => {
  assertEquals(planQueue(lookup({}), "dk"), {
    action: { kind: "pass" },
    program: "bin/qmail-queue",
    home: "/var/qmail",
    deadlineSeconds: 86400,
    dkim: null,
  });
  const p = planQueue(
    lookup({ DK_QMAIL_HOME: "/q", DK_QUEUE_TIMEOUT: "7" }),
    "dk",
  );
  assertEquals([p.home, p.deadlineSeconds], ["/q", 7]);
  for (const bad of ["", "0", "-1", "1.5", "x", "9999999999"]) {
    assertEquals(
      planQueue(lookup({ DK_QUEUE_TIMEOUT: bad }), "dk").deadlineSeconds,
      86400,
      bad,
    );
  }
});
