import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  channelCandidates,
  findChannel,
  isChannel,
  refuse,
} from "./channel.ts";
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

Deno.test("refuse() gives the plain exit code when there is no channel", () => {
  const env = lookup({ ERROR_FD: "999" });
  if (findChannel(env) !== null) return; // the runner left a pipe at 4/6
  assertEquals(refuse(SIGN_REFUSAL.noSender, env), 31);
  assertEquals(refuse(SIGN_REFUSAL.keyTrouble, env), 55);
});
