// The journeys of issue #15, driven like a user through menus, views and the palette in the real
// workbench (code-server + chromium): the getting-started walkthrough; two runs from different
// entry points (Profile Against Native, Run Profile Spec with its own target ids) compared from
// the Runs view with every target matched; a daemonless image built from the explorer's submenu
// and run from the Images view. Screenshots under screenshots/journey-*.png.
// Every step waits for the state it needs, never for a fixed time.
import { createHarness, loadWorkbench, openBrowser } from './ui-harness.mjs';
import { chooseMenuItem, exact, paletteRow, startsWith } from './workbench-input.mjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCodeServer } from '../vscode-host/vscode-host.mjs';
// the UI tier runs under tsx (scripts/run-tier.mjs): the core's TypeScript is imported as it is
import { descendantsOf } from '../../src/core/process/kill-tree.ts';

const WATCHDOG_MS = 180_000;
let server, context, page;
const { step, shot, harnessFailed, finish } = createHarness({
  label: 'ui-journeys',
  failurePrefix: 'journey-failure',
  page: () => page,
});
let wb; // the workbench's parts, bound to the page once it exists
async function runPaletteCommand(title) {
  await paletteRow(page, WATCHDOG_MS, `>${title}`, startsWith(title));
  // Enter takes the focused row: wait until it is the command asked for
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: startsWith(title) })
    .waitFor();
  await page.keyboard.press('Enter');
}
/** Picks the quick pick's row whose label starts with `label` (typed first, as a user narrows it). */
async function quickPick(label, typed = label) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(typed);
  // the row narrowed to first and focused: Enter takes it (a click can land on a hover)
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).waitFor();
  await page.keyboard.press('Enter');
}
/** Opens the extension's view container and returns the pane of `view`. */
async function showView(view) {
  const button = page.locator('.activitybar .action-item a[aria-label^="Wasm Containers"]').first();
  const pane = page.locator('.pane', {
    has: page.locator('.pane-header', { hasText: new RegExp(`^${view}`) }),
  });
  if (!(await pane.isVisible())) await button.click();
  await pane.waitFor();
  // a collapsed pane opens with a click on its header
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}
const panelFrame = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

try {
  server = await startCodeServer({
    settings: {
      'wasmContainers.profile.runs': 5,
      'wasmContainers.profile.warmup': 1,
      // a machine setting in the User settings, and another value in the Remote (machine)
      // settings of this remote window: the User value is not the one that applies here
      'wasmContainers.runtime.paths': { wasmtime: '/opt/nowhere/wasmtime' },
    },
  });
  mkdirSync(path.join(server.dir, 'user-data', 'Machine'), { recursive: true });
  writeFileSync(
    path.join(server.dir, 'user-data', 'Machine', 'settings.json'),
    JSON.stringify({ 'wasmContainers.runtime.paths': { wasmtime: '/opt/remote/wasmtime' } }),
  );
  ({ context, page, wb } = await openBrowser(server, WATCHDOG_MS));
  console.log('UI journeys (code-server workbench in chromium)');

  await step('the workbench opens the workspace', () => loadWorkbench(page, server));

  await step('the getting-started walkthrough opens from the palette with its steps', async () => {
    await runPaletteCommand('Welcome: Open Walkthrough...');
    await quickPick('Get started with Wasm Containers', 'Wasm Containers');
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough
      .locator('h2', { hasText: 'Get started with Wasm Containers' })
      .first()
      .waitFor();
    for (const title of ['Create a Wasm container', 'Profile it against native', 'Compare runs'])
      await walkthrough.locator('.step-title', { hasText: title }).first().waitFor();
    await walkthrough.locator('.step-title', { hasText: 'Compare runs' }).first().click();
    await shot('journey-walkthrough.png');
    await runPaletteCommand('View: Close All Editors');
  });

  await step(
    'runtime.paths set in User settings is ignored in this remote window: the Runtimes view says so and where to put it',
    async () => {
      const runtimes = await showView('Runtimes');
      const warning = runtimes.locator('.monaco-list-row', {
        hasText: 'runtime.paths: User value ignored here',
      });
      await warning.waitFor();
      await warning
        .locator('.label-description', { hasText: 'put it in Remote settings' })
        .waitFor();
      await page.mouse.move(800, 300);
      await shot('journey-runtimes-ignored-setting.png');
      await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    },
  );

  await step(
    'a .wasm menu groups the extension entries in a submenu; Dockerfile.native offers only the native build',
    async () => {
      await wb.openContextMenu(wb.explorerRow('hello.wasm'), 'Wasm Containers');
      await wb.menuItem('Wasm Containers').hover();
      await wb.menuItem('Profile Against Native').waitFor();
      await wb.menuItem('Build Wasm Image').waitFor();
      await shot('journey-explorer-submenu.png');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      writeFileSync(
        path.join(server.ws, 'Dockerfile.native'),
        'FROM scratch\nCOPY hello /hello\nENTRYPOINT ["/hello"]\n',
      );
      await wb.openContextMenu(wb.explorerRow('Dockerfile.native'), 'Build Native Counterpart');
      for (const wasmOnly of ['Run as Wasm Container', 'Wasm Containers'])
        if ((await wb.menuItem(wasmOnly).count()) !== 0)
          throw new Error(`"${wasmOnly}" is offered on Dockerfile.native`);
      await page.keyboard.press('Escape');
    },
  );

  await step('Profile Against Native from the palette stores a run', async () => {
    await runPaletteCommand('Wasm Containers: Profile Against Native');
    await quickPick('hello.wasm');
    const panel = panelFrame();
    await panel.locator('#status', { hasText: 'complete' }).waitFor();
    await panel.locator('#overview tbody th', { hasText: 'native · process' }).waitFor();
  });

  await step(
    'a spec with its own target ids, run from its explorer menu, stores a second run',
    async () => {
      writeFileSync(
        path.join(server.ws, 'mine.profile.json'),
        JSON.stringify(
          {
            name: 'my spec: module vs twin',
            runs: 5,
            warmup: 1,
            targets: [
              { id: 'module', runtime: 'node-wasi', artifact: 'hello.wasm' },
              { id: 'twin', runtime: 'process', artifact: 'hello' },
            ],
          },
          null,
          2,
        ),
      );
      await wb.openContextMenu(wb.explorerRow('mine.profile.json'), 'Run Profile Spec');
      await chooseMenuItem(wb.menuItem('Run Profile Spec'));
      const panel = panelFrame();
      await panel.locator('h1', { hasText: 'my spec: module vs twin' }).waitFor();
      await panel.locator('#status', { hasText: 'complete' }).waitFor();
    },
  );

  await step(
    'the Runs view lists both; Compare Runs… matches every target by role: no "missing" row',
    async () => {
      await wb.hidePanel();
      const runs = await showView('Runs');
      const spec = runs.locator('.monaco-list-row', { hasText: 'my spec: module vs twin' });
      await spec.waitFor();
      // the one-click profile names its runtime: "Wasm (Node.js WASI …) vs native: hello.wasm"
      await runs.locator('.monaco-list-row', { hasText: /vs native: hello\.wasm/ }).waitFor();
      await wb.openContextMenu(spec, 'Compare Runs…');
      await shot('journey-runs-view-menu.png');
      await chooseMenuItem(wb.menuItem('Compare Runs…'));
      await quickPick(/vs native: hello\.wasm/, 'vs native');
      const panel = panelFrame();
      const rows = panel.locator('#deltas tbody tr');
      await rows.nth(1).waitFor();
      const texts = await rows.allTextContents();
      if (texts.length !== 2)
        throw new Error(`expected 2 compared targets, got: ${texts.join(' | ')}`);
      if (texts.some((t) => /missing/.test(t)))
        throw new Error(`a target is "missing": ${texts.join(' | ')}`);
      if (!texts[0].startsWith('module') || !texts[1].startsWith('twin'))
        throw new Error(`rows: ${texts.join(' | ')}`);
      await panel.locator('#deltas').evaluate((node) => node.scrollIntoView({ block: 'center' }));
      await shot('journey-runs-compare.png');
      await runPaletteCommand('View: Close All Editors');
    },
  );

  await step(
    'hello.wasm → Wasm Containers → Build Wasm Image: a daemonless image in the Images view, run from its menu',
    async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
      await wb.openContextMenu(wb.explorerRow('hello.wasm'), 'Wasm Containers');
      await wb.menuItem('Wasm Containers').hover();
      await chooseMenuItem(wb.menuItem('Build Wasm Image'));
      // the build's notification may come and go before it is looked at: the view is the proof
      const images = await showView('Images');
      const row = images.locator('.monaco-list-row', { hasText: 'hello (wasi/wasm)' });
      await row.waitFor();
      await wb.openContextMenu(row, 'Run Image');
      for (const label of [
        'Profile Image Against Native',
        'Load Image into Engine',
        'Push Image…',
        'Delete Image',
      ])
        await wb.menuItem(label).waitFor();
      await shot('journey-images-daemonless-menu.png');
      await chooseMenuItem(wb.menuItem('Run Image'));
      await wb.helloRanInTerminal();
      await shot('journey-images-daemonless-run.png');
    },
  );

  await step(
    'a corrupt module: Build Wasm Image fails in a notification whose Show Log button opens the log at the error',
    async () => {
      writeFileSync(path.join(server.ws, 'broken.wasm'), 'this is not wasm');
      await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
      await wb.openContextMenu(wb.explorerRow('broken.wasm'), 'Wasm Containers');
      await wb.menuItem('Wasm Containers').hover();
      await chooseMenuItem(wb.menuItem('Build Wasm Image'));
      // the notification centre, as from the status bar's bell: a toast may not show in a page
      // without focus, the centre lists every notification (and updates while it is open)
      await runPaletteCommand('Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', {
        hasText: 'not a WebAssembly binary',
      });
      await item.waitFor();
      await shot('journey-error-notification.png');
      await item.locator('.monaco-button', { hasText: exact('Show Log') }).click();
      // the Output panel, on this extension's log, at the failure (the editor renders spaces as
      // no-break spaces: \s matches both)
      await page
        .locator('.part.panel .view-lines', { hasText: /\[error\]\sBuild\sWasm\sImage\sfailed:\s/ })
        .waitFor();
      await shot('journey-error-log.png');
      await wb.hidePanel();
    },
  );

  await step(
    "a long profile stops at the panel's Cancel: the run is kept as cancelled and its measurement helper is gone",
    async () => {
      writeFileSync(
        path.join(server.ws, 'long.profile.json'),
        JSON.stringify({
          name: 'long profile',
          runs: 100000,
          warmup: 0,
          targets: [{ id: 'twin', runtime: 'process', artifact: 'hello' }],
        }),
      );
      await wb.openContextMenu(wb.explorerRow('long.profile.json'), 'Run Profile Spec');
      await chooseMenuItem(wb.menuItem('Run Profile Spec'));
      const panel = panelFrame();
      await panel.locator('h1', { hasText: 'long profile' }).waitFor();
      // samples are being taken by the batch helper under this code-server
      await waitUntil('a wc-exec batch runs under code-server', () => helpersUnder(server.pid) > 0);
      await panel.locator('#cancel').click();
      await panel.locator('#status', { hasText: 'cancelled' }).waitFor();
      await waitUntil('no wc-exec left under code-server', () => helpersUnder(server.pid) === 0);
      await shot('journey-profile-cancelled.png');
    },
  );
} catch (e) {
  harnessFailed(e);
}
await finish(context, server);

/** How many wc-exec processes run in the process tree under `root` (the project's own /proc walk). */
function helpersUnder(root) {
  return descendantsOf(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('wc-exec');
    } catch {
      return false; // gone since the table was read
    }
  }).length;
}

/** Polls `check` until it holds; fails after the watchdog with what was awaited. */
async function waitUntil(what, check) {
  const deadline = Date.now() + WATCHDOG_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
