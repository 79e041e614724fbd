import { startDnsmasq } from "./helpers/dnsmasq.ts";

Deno.test("startDnsmasq() serves TXT records split into strings and stops by pid", async () => {
  const server = await startDnsmasq({
    zones: ["example.com"],
    txt: [{ name: "s._domainkey.example.com", strings: ["k=rsa; p=ab", "cd"] }],
  });
  try {
    const out = await new Deno.Command("dig", {
      args: [
        "+short",
        "-p",
        String(server.port),
        "@127.0.0.1",
        "s._domainkey.example.com",
        "TXT",
      ],
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (text !== '"k=rsa; p=ab" "cd"') throw new Error(`dig said ${text}`);
  } finally {
    await server.stop();
  }
  let alive = true;
  try {
    Deno.kill(server.pid, "SIGCONT" as Deno.Signal);
  } catch {
    alive = false;
  }
  if (alive) throw new Error("dnsmasq still running after stop()");
});
