// The same extension-host suite under desktop VS Code, for machines that can download it
// (@vscode/test-electron fetches VS Code; it cannot here, where test:exthost uses code-server).
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace } from '../vscode-host/vscode-host.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/test/exthost/suite/index.js'),
    launchArgs: [
      makeWorkspace(mkdtempSync(path.join(os.tmpdir(), 'wc-electron-'))),
      '--disable-extensions',
      '--disable-workspace-trust',
    ],
  });
} catch (e) {
  console.error(`test:electron failed: ${e?.message ?? e}`);
  process.exit(1);
}
