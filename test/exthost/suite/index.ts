// Loaded by the VS Code extension host (extensionTestsPath): runs the mocha suites and prints the
// plain closing line the tier runner counts.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // the timeout is a watchdog for a hang, not a speed limit: tests wait for states, not for time
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 600_000, reporter: 'spec' });
  // every suite the build put beside this file; the Restricted Mode suite only in its own run
  const untrusted = process.env.WC_EXTHOST_SUITE === 'untrusted';
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    if ((file === 'untrusted.test.js') === untrusted) mocha.addFile(path.resolve(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // pending tests (a missing runtime, with its reason) are skips, not passes
      const { passes, pending } = runner.stats ?? { passes: 0, pending: 0 };
      console.log(`exthost: ${passes} passed, ${failures} failed, ${pending} skipped`);
      if (failures > 0) reject(new Error(`${failures} extension host tests failed`));
      else resolve();
    });
  });
}
