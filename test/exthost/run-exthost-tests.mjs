// Runs the mocha suites (out/test/exthost/suite/index.js) inside the real extension host of
// code-server, driven by headless chromium: once in a trusted workspace (every suite but the
// untrusted one), once in Restricted Mode (the untrusted suite). Prints the combined count.
import path from 'node:path';
import { existsSync } from 'node:fs';
import {
  launchChromium,
  log,
  root,
  startCodeServer,
  workbenchUrl,
} from '../vscode-host/vscode-host.mjs';

// a watchdog for a hung host, not a speed limit: a busy machine may take several times longer
const TIMEOUT_MS = Number(process.env.EXT_TEST_TIMEOUT_MS ?? 1_200_000);
const testsPath = path.join(root, 'out/test/exthost/suite/index.js');
if (!existsSync(path.join(root, '.vscode-test/code-server'))) {
  console.error(
    'The VS Code host is not installed: run scripts/setup-vscode-host.sh (npm run test:all does).',
  );
  console.log('exthost: 0 passed, 1 failed');
  process.exit(1);
}

async function runPass(untrusted) {
  let server,
    context,
    exitCode = 1;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    server = await startCodeServer({
      untrusted,
      settings: { 'wasmContainers.profile.runs': 3, 'wasmContainers.profile.warmup': 1 },
    });
    context = await launchChromium(path.join(server.dir, 'chromium-profile'));
    const page = context.pages()[0] ?? (await context.newPage());
    const noise =
      /^(Resolving connection|Resolved connection|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Updating additional builtin)/;
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const m =
          typeof args[0] === 'string'
            ? /^exthost: (\d+) passed, (\d+) failed, (\d+) skipped$/.exec(args[0])
            : null;
        if (m) {
          counts.passed = Number(m[1]);
          counts.failed = Number(m[2]);
          counts.skipped = Number(m[3]);
          console.log(
            `${untrusted ? 'restricted mode' : 'trusted workspace'}: ${m[1]} passed, ${m[2]} failed, ${m[3]} skipped`,
          );
          return;
        }
        if (!process.env.SHOW_WORKBENCH_LOG && typeof args[0] === 'string' && noise.test(args[0]))
          return;
        (console[type] ?? console.log)(...args);
      });
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    log(
      `opening the workbench (${untrusted ? 'Restricted Mode' : 'trusted'}) with the extension under development and its tests`,
    );
    await page.goto(workbenchUrl(server, { testsPath }));
    const result = await Promise.race([
      done,
      new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS)),
    ]);
    if (result === 'timeout') {
      log(`TIMEOUT after ${TIMEOUT_MS} ms`);
      await page
        .screenshot({ path: path.join(root, 'test-results/exthost-timeout.png') })
        .catch(() => {});
      console.error(server.output().slice(-4000));
      exitCode = 2;
    } else {
      exitCode = result;
      log(`extension tests finished with exit code ${exitCode}`);
    }
  } catch (e) {
    console.error(e);
    exitCode = 3;
  } finally {
    await context?.close().catch(() => {});
    await server?.stop();
  }
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  return { exitCode, ...counts };
}

const trusted = await runPass(false);
const restricted = await runPass(true);
console.log(
  `exthost: ${trusted.passed + restricted.passed} passed, ${trusted.failed + restricted.failed} failed, ${trusted.skipped + restricted.skipped} skipped`,
);
process.exit(trusted.exitCode || restricted.exitCode);
