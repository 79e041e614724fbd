import {
  assertEquals,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { sourceModules } from "../../tests/helpers/modules.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("only dk bench names the bench module: queue mode and dk verify never load it", async () => {
  // Every other command, queue mode and the backends are loaded by computed
  // URLs that name core/cli/*.ts and core/crypto/*.ts; the bench module is
  // reachable only through these two files.
  const holders: string[] = [];
  for (const file of await sourceModules()) {
    const text = await Deno.readTextFile(`${root}${file}`);
    if (/wasm_bench\.ts|bench_wasm\.ts/.test(text)) holders.push(file);
  }
  assertEquals(holders, ["core/cli/bench.ts", "core/crypto/wasm_bench.ts"]);
});

async function bench(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}main.ts`, "bench", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { DK_ARGV0: "dk" },
  }).output();
  return {
    code,
    stdout: new TextDecoder().decode(stdout),
    stderr: new TextDecoder().decode(stderr),
  };
}

Deno.test("dk bench refuses bad flags with one line on stderr and exit 2", async () => {
  for (
    const [args, fragment] of [
      [["--fast"], "Unknown option '--fast'"],
      [["--seconds", "0"], 'Cannot use --seconds "0"'],
      [["--seconds", "abc"], 'Cannot use --seconds "abc"'],
      [["--seconds", "61"], 'Cannot use --seconds "61"'],
      [["extra"], "extra"],
    ] as const
  ) {
    const result = await bench([...args]);
    assertEquals(result.code, 2, args.join(" "));
    assertEquals(result.stdout, "");
    assertStringIncludes(result.stderr, fragment);
    assertEquals(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
    assertStringIncludes(result.stderr, "dk bench: ");
  }
});

Deno.test("dk bench --json prints every figure cli.md names, all positive", async () => {
  const result = await bench(["--json", "--seconds", "0.05"]);
  assertEquals(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  for (const backend of ["wasm", "bigint", "webcrypto", "wasm_cios_baseline"]) {
    for (const bits of ["1024", "2048", "4096"]) {
      assertEquals(
        report.rsa_verify_per_s[backend][bits] > 0,
        true,
        `${backend} ${bits}`,
      );
    }
  }
  for (const backend of ["wasm", "webcrypto"]) {
    for (const alg of ["sha1", "sha256"]) {
      assertEquals(
        report.hash_mb_per_s[backend][alg] > 0,
        true,
        `${backend} ${alg}`,
      );
    }
  }
  for (const backend of ["wasm", "bigint", "webcrypto"]) {
    assertEquals(report.message_verify_per_s[backend] > 0, true, backend);
  }
  assertEquals(report.message_sign_per_s > 0, true);
  // Issue 13: the other in-process signer, and openssl's figure (openssl is
  // one of the installed peers).
  assertEquals(report.node_crypto_message_sign_per_s > 0, true);
  assertEquals(report.openssl_rsa2048_sign_per_s! > 0, true);
  // dkim.md 5.6
  assertEquals(report.ed25519_verify_per_s > 0, true);
  assertEquals(Object.keys(report.dkim_message_verify_per_s).sort(), [
    "ed25519",
    "rsa2048",
  ]);
  for (const kind of ["rsa2048", "ed25519"]) {
    assertEquals(report.dkim_message_verify_per_s[kind] > 0, true, kind);
  }
  assertEquals(report.dkim_message_sign_per_s > 0, true);
  assertEquals(report.dkim_ed25519_message_sign_per_s > 0, true);
  assertEquals(
    typeof report.ratios.dkim_rsa2048_verify_over_dk_verify,
    "number",
  );
  assertEquals(typeof report.ratios.rsa2048_wasm_over_cios_baseline, "number");
});
