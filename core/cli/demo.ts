/** `dk demo` (placeholder until the foundation lands). @module */
export function run(_args: string[]): Promise<number> {
  console.log("dk demo");
  return Promise.resolve(0);
}
