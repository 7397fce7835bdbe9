// The step runner both UI scripts use: named steps that stop at the first failure (the rest are
// reported as not run), a failure screenshot, screenshots on request, skips with their reason, and
// the closing "<label>: N passed, N failed[, N skipped]" line that scripts/run-tier.mjs reads.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, root, workbenchUrl } from '../vscode-host/vscode-host.mjs';
import { workbench } from './workbench-input.mjs';

export const shotsDir = path.join(root, 'screenshots');

/**
 * @param {{ label: string, failurePrefix: string, page: () => import('playwright-core').Page | undefined }} options
 */
export function createHarness({ label, failurePrefix, page }) {
  mkdirSync(shotsDir, { recursive: true });
  const results = [];
  const failedSoFar = () => results.some((r) => !r.ok);

  async function step(name, fn) {
    if (failedSoFar()) {
      results.push({ name, ok: false, skipped: true });
      console.log(`  - ${name} (not run: an earlier step failed)`);
      return;
    }
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name, ok: false });
      const stack = String(e?.stack ?? e)
        .split('\n')
        .slice(0, 6);
      console.log(`  ✖ ${name}\n    ${stack.join('\n    ')}`);
      const file = path.join(shotsDir, `${failurePrefix}-${results.length}.png`);
      await page()
        ?.screenshot({ path: file })
        .catch(() => {});
      console.log(`    screenshot: ${file}`);
    }
  }

  /** A step that cannot run here: skipped with its reason, or a failure where CI requires it. */
  function skipStep(name, reason, requiredBy) {
    if (process.env[requiredBy] === '1') {
      results.push({ name, ok: false });
      console.log(`  ✖ ${name}\n    ${requiredBy}=1 but ${reason}`);
      return;
    }
    results.push({ name, ok: true, skipped: true });
    console.log(`  - ${name} (skipped: ${reason})`);
  }

  async function shot(name) {
    const file = path.join(shotsDir, name);
    // fade-ins and transitions are stopped, not waited for
    await page()?.screenshot({ path: file, animations: 'disabled' });
    console.log(`    screenshot: ${file}`);
  }

  /** A failure outside any step (the harness itself): counted, so the tier fails. */
  function harnessFailed(e) {
    console.error(e);
    results.push({ name: 'harness', ok: false });
  }

  /** Closes the browser and code-server, prints the closing line and exits with the outcome. */
  async function finish(context, server) {
    await context?.close().catch(() => {});
    await server?.stop();
    const failed = results.filter((r) => !r.ok).length;
    const skipped = results.filter((r) => r.ok && r.skipped).length;
    const passed = results.length - failed - skipped;
    const skippedText = skipped ? `, ${skipped} skipped` : '';
    console.log(`${label}: ${passed} passed, ${failed} failed${skippedText}`);
    process.exit(failed > 0 ? 1 : 0);
  }

  return { step, skipStep, shot, harnessFailed, finish };
}

/** Chromium on a fresh profile, one page with the watchdog as its default timeout. */
export async function openBrowser(server, watchdogMs) {
  const context = await launchChromium(path.join(server.dir, 'chromium-profile'));
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(watchdogMs);
  return { context, page, wb: workbench(page) };
}

/** Opens the workbench on the workspace and waits until hello.wasm and the extension show. */
export async function loadWorkbench(page, server) {
  await page.goto(workbenchUrl(server));
  const wb = workbench(page);
  await wb.explorerRow('hello.wasm').waitFor();
  await wb.extensionRegistered();
}
