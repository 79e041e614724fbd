/**
 * `dk demo`: the QmailToaster DomainKeys workflow on a bundled example,
 * offline, in a temporary folder (cli.md): keygen, DNS records, tcp.smtp
 * compile and lookup, queue-mode signing for a relay client, queue-mode
 * verification of that message for an outside client against the generated
 * zone. Each step runs dk itself as a separate process, as a mail host
 * would, and prints what it did and what came out.
 *
 * Exit codes: 0 every step gave the expected result; 1 a step did not.
 *
 * @module
 */

import { CLI_EXIT, headerWord } from "../status.ts";
import { SOURCE_ROOT } from "../source.ts";

const DOMAIN = "example.com";

/**
 * The command line that runs this same dk: the compiled binary, or the
 * launcher beside these sources (so that the demo runs dk exactly as a mail
 * host does, with the launcher's permission flags).
 */
function selfCommand(): string[] {
  const main = Deno.mainModule;
  if (main.startsWith("file:") && main.endsWith(".ts")) {
    return [decodeURIComponent(new URL("scripts/dk", SOURCE_ROOT).pathname)];
  }
  return [Deno.execPath()];
}

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function dk(
  args: string[],
  options: { env?: Record<string, string>; stdin?: Uint8Array; fd1?: string } =
    {},
): Promise<StepResult> {
  const self = selfCommand();
  // fd 1 of `dk queue` is the envelope: open it with the shell's redirection.
  const command = options.fd1 !== undefined
    ? [
      "/bin/sh",
      "-c",
      'exec "$@" 1<"$DK_DEMO_FD1"',
      "sh",
      ...self,
      ...args,
    ]
    : [...self, ...args];
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    env: { ...options.env, DK_DEMO_FD1: options.fd1 ?? "" },
    stdin: options.stdin ? "piped" : "null",
    stdout: options.fd1 !== undefined ? "inherit" : "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin);
    await writer.close();
  }
  const out = await child.output();
  const td = new TextDecoder();
  return {
    code: out.code,
    stdout: options.fd1 !== undefined ? "" : td.decode(out.stdout),
    stderr: td.decode(out.stderr),
  };
}

function indent(text: string): string {
  return text.trimEnd().split("\n").map((l) => `    ${l}`).join("\n");
}

/** Runs the demo; resolves to the exit code. */
export async function run(_args: string[]): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "dk-demo-" });
  let failures = 0;
  const step = (title: string) => console.log(`\n== ${title}`);
  const check = (ok: boolean, what: string) => {
    console.log(`  ${ok ? "ok" : "FAILED"}: ${what}`);
    if (!ok) failures++;
  };
  try {
    console.log(
      `dk demo: the QmailToaster DomainKeys workflow in ${dir} (no network)`,
    );
    const keyDir = `${dir}/domainkeys/${DOMAIN}`;
    await Deno.mkdir(keyDir, { recursive: true });
    const key = `${keyDir}/private`;

    step(`1. dk keygen ${key} --bits 2048   (dknewkey, safely)`);
    const keygen = await dk(["keygen", key, "--bits", "2048"]);
    console.log(indent(keygen.stdout || keygen.stderr));
    const mode = (await Deno.stat(key)).mode! & 0o777;
    check(
      keygen.code === 0 && mode === 0o600,
      `key written, mode ${mode.toString(8)}`,
    );

    step(
      `2. dk dns records --domain ${DOMAIN} --key ${key}   (what to publish)`,
    );
    const records = await dk([
      "dns",
      "records",
      "--domain",
      DOMAIN,
      "--key",
      key,
    ]);
    console.log(indent(records.stdout || records.stderr));
    const zone = `${dir}/${DOMAIN}.zone`;
    await Deno.writeTextFile(
      zone,
      `$ORIGIN ${DOMAIN}.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns1\nns1 IN A 192.0.2.1\n` +
        records.stdout,
    );
    check(records.code === 0, `zone file written: ${zone}`);

    step("3. dk rules compile tcp.smtp   (qmailctl cdb)");
    const rules = `${dir}/tcp.smtp`;
    await Deno.writeTextFile(
      rules,
      `127.:allow,RELAYCLIENT="",DKSIGN="${dir}/domainkeys/%/private"\n` +
        `:allow,DKVERIFY="DEGIJKfh"\n`,
    );
    console.log(indent(await Deno.readTextFile(rules)));
    const compile = await dk(["rules", "compile", rules]);
    if (compile.stderr) console.log(indent(compile.stderr));
    check(compile.code === 0, `compiled ${rules}.cdb`);
    const envFor = async (ip: string) => {
      const r = await dk(["rules", "check", `${rules}.cdb`, ip, "--json"]);
      console.log(indent(`${ip}: ${r.stdout || r.stderr}`));
      try {
        return JSON.parse(r.stdout).env as Record<string, string>;
      } catch {
        return {};
      }
    };
    const relayEnv = await envFor("127.0.0.1");
    const outsideEnv = await envFor("203.0.113.7");
    check(
      "DKSIGN" in relayEnv && "DKVERIFY" in outsideEnv,
      "relay clients sign, others verify",
    );

    const envelope = `${dir}/envelope`;
    await Deno.writeFile(
      envelope,
      new TextEncoder().encode(`Fjoe@${DOMAIN}\0Tfriend@example.net\0\0`),
    );
    const fakeQueue = `${dir}/qmail-queue.orig`;
    await Deno.writeTextFile(
      fakeQueue,
      '#!/bin/sh\n# Stands in for qmail-queue: keeps the message it is handed.\ncat > "$DK_DEMO_QUEUED"\n',
    );
    await Deno.chmod(fakeQueue, 0o755);
    const message = new TextEncoder().encode(
      `From: Joe <joe@${DOMAIN}>\nTo: friend@example.net\nSubject: DomainKeys demo\n\nHello from dk.\n`,
    );

    step("4. dk queue for 127.0.0.1 (RELAYCLIENT, DKSIGN): signs");
    const signed = `${dir}/queued-signed.eml`;
    const sign = await dk(["queue"], {
      env: {
        ...relayEnv,
        DKQUEUE: fakeQueue,
        DK_DEMO_QUEUED: signed,
        DK_QMAIL_HOME: dir,
      },
      stdin: message,
      fd1: envelope,
    });
    const signedText = await Deno.readTextFile(signed).catch(() => "");
    console.log(indent(signedText.split("\n\n")[0]));
    check(
      sign.code === 0 && signedText.startsWith("DomainKey-Signature:"),
      `exit ${sign.code}, message handed on signed`,
    );

    step(
      "5. dk queue for 203.0.113.7 (DKVERIFY), key from the zone file: verifies",
    );
    const verified = `${dir}/queued-verified.eml`;
    const verify = await dk(["queue"], {
      env: {
        ...outsideEnv,
        DKQUEUE: fakeQueue,
        DK_DEMO_QUEUED: verified,
        DK_ZONE: zone,
        DK_QMAIL_HOME: dir,
      },
      stdin: new TextEncoder().encode(signedText),
      fd1: envelope,
    });
    const verifiedText = await Deno.readTextFile(verified).catch(() => "");
    console.log(indent(verifiedText.split("\n")[0]));
    check(
      verify.code === 0 && verifiedText.startsWith("DomainKey-Status: good"),
      `exit ${verify.code}, status header added`,
    );

    step(
      "6. the same message changed in transit: rejected only if DKVERIFY says B",
    );
    const tampered = signedText.replace("Hello", "Jello");
    const bad = await dk(["verify", "--zone", zone, "--explain"], {
      stdin: new TextEncoder().encode(tampered),
    });
    console.log(indent(bad.stdout));
    check(
      bad.code === CLI_EXIT.notGood &&
        bad.stdout.startsWith(`B ${headerWord("B")}`),
      "dk verify answers B (bad)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  console.log(
    failures === 0
      ? "\ndk demo: every step gave the expected result"
      : `\ndk demo: ${failures} step(s) FAILED`,
  );
  return failures === 0 ? CLI_EXIT.ok : CLI_EXIT.notGood;
}
