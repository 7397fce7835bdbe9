// Loaded by the VS Code extension host (extensionTestsPath): runs the mocha suites and prints the
// plain closing line the tier runner counts.
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of ['extension.test.js', 'language-server.test.js']) mocha.addFile(path.resolve(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      const total = mocha.suite.total();
      console.log(`exthost: ${total - failures} passed, ${failures} failed`);
      failures > 0 ? reject(new Error(`${failures} extension host tests failed`)) : resolve();
    });
  });
}
