import { assertEquals } from "../../tests/helpers/assert.ts";
import { channelCandidates, isChannel } from "./channel.ts";
import { SIGN_REFUSAL } from "../status.ts";

const lookup = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("channelCandidates() tries a numeric $ERROR_FD, then 6, then 4", () => {
  assertEquals(channelCandidates(lookup({})), [6, 4]);
  assertEquals(channelCandidates(lookup({ ERROR_FD: "9" })), [9, 6, 4]);
  assertEquals(channelCandidates(lookup({ ERROR_FD: "x" })), [6, 4]);
  assertEquals(channelCandidates(lookup({ ERROR_FD: "" })), [6, 4]);
  assertEquals(channelCandidates(lookup({ ERROR_FD: "/dev/fd/6" })), [6, 4]);
});

Deno.test("isChannel() refuses closed fds and the runtime's own close-on-exec fds", () => {
  // The test runner's own descriptors are close-on-exec or not pipes.
  for (const fd of [3, 4, 5, 6, 7, 8, 999]) {
    const info = (() => {
      try {
        return Deno.readTextFileSync(`/proc/self/fdinfo/${fd}`);
      } catch {
        return "";
      }
    })();
    const flags = /^flags:\s*([0-7]+)$/m.exec(info);
    const cloexec = flags !== null && (parseInt(flags[1], 8) & 0o2000000) !== 0;
    if (info === "" || cloexec) assertEquals(isChannel(fd), false, `fd ${fd}`);
  }
  assertEquals(isChannel(-1), false);
});

/**
 * Runs refuse() for two refusals in a child whose descriptors 4, 6 and 9
 * ($ERROR_FD) are set by `redirections` (sh syntax; the test runner's own
 * descriptors cannot leak into it): returns what the child found and what
 * it wrote to its stdout, a pipe, and stderr, another pipe.
 */
async function refuseIn(redirections: string): Promise<{
  found: { channel: number | null; pipes: boolean[]; codes: number[] };
  stdout: string;
  stderr: string;
}> {
  const dir = await Deno.makeTempDir();
  try {
    const code = `
      import { findChannel, isChannel, refuse } from ${
      JSON.stringify(new URL("./channel.ts", import.meta.url).href)
    };
      import { SIGN_REFUSAL } from ${
      JSON.stringify(new URL("../status.ts", import.meta.url).href)
    };
      const env = (name) => name === "ERROR_FD" ? "9" : undefined;
      const found = {
        channel: findChannel(env),
        pipes: [4, 6, 9].map(isChannel),
        codes: [
          refuse(SIGN_REFUSAL.noSender, env),
          refuse(SIGN_REFUSAL.keyTrouble, env),
        ],
      };
      Deno.writeTextFileSync(Deno.env.get("RESULTS"), JSON.stringify(found));
    `;
    const out = await new Deno.Command("sh", {
      args: ["-c", `exec "$DENO" eval "$CODE" ${redirections}`],
      env: { DENO: Deno.execPath(), CODE: code, RESULTS: `${dir}/found` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const td = new TextDecoder();
    assertEquals(out.code, 0, td.decode(out.stderr));
    return {
      found: JSON.parse(await Deno.readTextFile(`${dir}/found`)),
      stdout: td.decode(out.stdout),
      stderr: td.decode(out.stderr),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const NO_SENDER = `D${SIGN_REFUSAL.noSender.text} (#5.3.0)`;
const KEY_TROUBLE = `Z${SIGN_REFUSAL.keyTrouble.text} (#4.3.0)`;

Deno.test("refuse() gives the plain exit code when 4, 6 and $ERROR_FD are closed or not pipes", async () => {
  // fd 1 goes to /dev/null: nothing may be written anywhere.
  for (const fds of ["4>&- 6>&- 9>&-", "4</dev/null 6>&- 9</dev/null"]) {
    const r = await refuseIn(`${fds} >/dev/null`);
    assertEquals(r.found, {
      channel: null,
      pipes: [false, false, false],
      codes: [
        SIGN_REFUSAL.noSender.plainExit,
        SIGN_REFUSAL.keyTrouble.plainExit,
      ],
    }, fds);
    assertEquals([r.stdout, r.stderr], ["", ""], fds);
  }
});

Deno.test("refuse() writes the custom error to the first pipe of $ERROR_FD, 6, 4 and returns 82", async () => {
  const cases: [string, number, boolean[]][] = [
    ["4>&2 6>&1 9>&-", 6, [true, true, false]], // 6 before 4
    ["4>&1 6</dev/null 9>&-", 4, [true, false, false]], // a file is no channel
    ["4>&- 6>&2 9>&1", 9, [false, true, true]], // $ERROR_FD first
  ];
  for (const [fds, channel, pipes] of cases) {
    const r = await refuseIn(`${fds} >/dev/null`);
    assertEquals([r.found.channel, r.found.pipes], [channel, pipes], fds);
    assertEquals(r.found.codes, [82, 82], fds);
    assertEquals([r.stdout, r.stderr], [NO_SENDER + KEY_TROUBLE, ""], fds);
  }
});
