/**
 * Polls `probe` until it returns a value: the state a test needs, however long the machine takes
 * to get there. No deadline of its own (mocha's timeout is the watchdog for a real hang); a wait
 * that lasts says what it is waiting for.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const started = Date.now();
  let said = false;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (!said && Date.now() - started > 10_000) {
      console.log(`    (still waiting for ${what})`);
      said = true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
