// Drives the real workbench in headless chromium like a user: explorer context menu on a .wasm →
// "Run as Wasm Container" → output in the terminal; the palette → "Profile Against Native" → report.
// Saves PNG screenshots under screenshots/ (ignored) and prints their paths.
// Every step waits for the state it needs (an element, a text), never for a fixed time: a busy
// machine only makes it slower. The default timeout is a watchdog for a real hang.
import { createHarness, loadWorkbench, openBrowser } from './ui-harness.mjs';
import { chooseMenuItem, paletteRow as sharedPaletteRow } from './workbench-input.mjs';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, startCodeServer } from '../vscode-host/vscode-host.mjs';

const WATCHDOG_MS = 180_000;
let server, context, page;
const { step, skipStep, shot, harnessFailed, finish } = createHarness({
  label: 'ui',
  failurePrefix: 'failure',
  page: () => page,
});
let wb; // the workbench's parts, bound to the page once it exists
/** F1 → a command by its title. Focus must not be inside a webview (F1 goes to the webview there). */
const paletteRow = (text, row) => sharedPaletteRow(page, WATCHDOG_MS, text, row);
async function runPaletteCommand(title) {
  await paletteRow(`>${title}`, title);
  await page.keyboard.press('Enter');
}
/** F1 → "Wasm Containers: Profile Against Native" → pick hello.wasm, as a user would. */
async function profileFromPalette() {
  await runPaletteCommand('Wasm Containers: Profile Against Native');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'hello.wasm' })
    .first()
    .waitFor();
  // the workspace has other modules: type the name, as a user would, so that Enter picks hello.wasm
  await page.locator('.quick-input-widget input').fill('hello.wasm');
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: /^hello\.wasm/ })
    .waitFor();
  await page.keyboard.press('Enter');
}

try {
  // enough runs that the panel can be seen filling in while the profile runs
  server = await startCodeServer({
    settings: { 'wasmContainers.profile.runs': 80, 'wasmContainers.profile.warmup': 1 },
  });
  ({ context, page, wb } = await openBrowser(server, WATCHDOG_MS));
  console.log('UI test (code-server workbench in chromium)');

  await step('the workbench opens the workspace and lists hello.wasm', () =>
    loadWorkbench(page, server),
  );

  await step('right-click hello.wasm shows "Run as Wasm Container"', async () => {
    await wb.openContextMenu(wb.explorerRow('hello.wasm'), 'Run as Wasm Container');
    await shot('context-menu-wasm.png');
  });

  await step('clicking it runs the module and its output appears in a terminal', async () => {
    await chooseMenuItem(wb.menuItem('Run as Wasm Container'));
    await wb.helloRanInTerminal();
    await shot('run-as-wasm-container-terminal.png');
  });

  await step('the menu entry is absent on a non-wasm file (README.md)', async () => {
    await page.keyboard.press('Escape');
    // the extension's entries are registered (the .wasm menu had them): this menu is complete
    await wb.explorerRow('README.md').click({ button: 'right' });
    await page.locator('.context-view .action-item').first().waitFor();
    const count = await wb.menuItem('Run as Wasm Container').count();
    await page.keyboard.press('Escape');
    if (count !== 0) throw new Error('"Run as Wasm Container" is offered on README.md');
  });

  const inspectorStep =
    "a 10 MB module opens in the Wasm inspector: overview, size, and a function's WAT";
  if (!existsSync(path.join(server.ws, 'samples', 'starlingmonkey_embedding.wasm')))
    skipStep(
      inspectorStep,
      'no samples/starlingmonkey_embedding.wasm (scripts/fetch-wasm-samples.mjs fetches it)',
      'REQUIRE_WASM_SAMPLES',
    );
  else
    await step(inspectorStep, async () => {
      await wb.hidePanel();
      await wb.explorerRow('samples').click();
      const t0 = Date.now();
      await wb.explorerRow('starlingmonkey_embedding.wasm').click();
      const inspector = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await inspector.locator('h2', { hasText: 'Runtimes that can run it' }).waitFor();
      console.log(`    overview shown ${Date.now() - t0} ms after the click`);
      await inspector.locator('dd', { hasText: /instructions read in \d+ ms/ }).waitFor();
      await inspector.locator('#validate').click();
      await inspector
        .locator('#validation', { hasText: /^valid \(every rule checked, \d+ ms; wabt agrees\)$/ })
        .waitFor();
      await shot('wasm-inspector-overview.png');
      await inspector.locator('vscode-tab-header', { hasText: 'Size' }).click();
      await inspector.locator('.bars .bar-row', { hasText: 'code' }).first().waitFor();
      await shot('wasm-inspector-size.png');
      await inspector.locator('vscode-tab-header', { hasText: 'Functions & WAT' }).click();
      await inspector.locator('.function-list tbody tr').nth(3).click();
      await inspector.locator('pre.wat', { hasText: /^\(func / }).waitFor();
      await shot('wasm-inspector-wat.png');
      // close it so that later steps find only their own webview
      await runPaletteCommand('View: Close All Editors');
      await inspector.locator('h1').waitFor({ state: 'detached' });
    });

  await step(
    'names from a hostile module are shown as text in the inspector, never run as HTML',
    async () => {
      // a module whose export and custom section are named with markup that would run if inserted as HTML
      const leb = (n) => {
        const out = [];
        do {
          let b = n & 0x7f;
          n >>>= 7;
          if (n) b |= 0x80;
          out.push(b);
        } while (n);
        return out;
      };
      const name = (t) => {
        const b = [...Buffer.from(t)];
        return [...leb(b.length), ...b];
      };
      const section = (id, body) => [id, ...leb(body.length), ...body];
      const exportName = '<img src=x onerror="document.body.dataset.pwned=1">';
      const customName = '<script>document.body.dataset.pwned=2</script>';
      const bytes = Buffer.from([
        0,
        0x61,
        0x73,
        0x6d,
        1,
        0,
        0,
        0,
        ...section(5, [1, 0, 1]),
        ...section(7, [1, ...name(exportName), 2, 0]),
        ...section(0, [...name(customName), 1, 2, 3]),
      ]);
      writeFileSync(path.join(server.ws, 'hostile.wasm'), bytes);
      await wb.explorerRow('hostile.wasm').click();
      const inspector = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await inspector.locator('h2', { hasText: 'Runtimes that can run it' }).waitFor();
      await inspector.locator('vscode-tab-header', { hasText: 'Imports & Exports' }).click();
      await inspector.locator('td:visible', { hasText: exportName }).first().waitFor();
      await inspector.locator('vscode-tab-header', { hasText: 'Custom sections' }).click();
      await inspector.locator('td:visible', { hasText: customName }).first().waitFor();
      if ((await inspector.locator('img').count()) !== 0)
        throw new Error('an <img> element was created from a module name');
      if ((await inspector.locator('body[data-pwned]').count()) !== 0)
        throw new Error('script from a module name ran');
      await shot('wasm-inspector-hostile-names.png');
      await runPaletteCommand('View: Close All Editors');
    },
  );

  await step(
    'a Dockerfile with wasm32 in its platform: the squiggle, its hover with the reason, and the lenses',
    async () => {
      await wb.explorerRow('Dockerfile').click();
      const squiggle = page.locator('.view-overlays .squiggly-error').first();
      await squiggle.waitFor();
      await page
        .locator('.codelens-decoration', { hasText: 'Profile against native' })
        .first()
        .waitFor();
      const box = await squiggle.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page
        .locator('.monaco-hover', {
          hasText: "the architecture of Wasm images is 'wasm', not 'wasm32'",
        })
        .first()
        .waitFor();
      await shot('dockerfile-diagnostic-hover.png');
      await page.mouse.move(900, 700);
      await runPaletteCommand('View: Close All Editors');
    },
  );

  await step(
    'the Runtimes view lists Node WASI as available and explains what is missing',
    async () => {
      await page
        .locator('.activitybar .action-item a[aria-label^="Wasm Containers"]')
        .first()
        .click();
      const tree = page.locator('.pane', { hasText: 'Runtimes' });
      await tree
        .locator('.monaco-list-row', { hasText: 'Node.js WASI (preview1)' })
        .first()
        .waitFor();
      await tree.locator('.monaco-list-row', { hasText: 'Wasmtime' }).first().waitFor();
      await page.mouse.move(800, 300); // the activity bar tooltip would cover a row
      await page.locator('.monaco-hover, .workbench-hover').first().waitFor({ state: 'hidden' });
      await shot('runtimes-view.png');
      await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    },
  );

  await step(
    'palette → "Wasm Containers: Profile Against Native" → pick hello.wasm → the panel fills in live',
    async () => {
      // hide the terminal panel so that the profiling panel gets the whole editor area
      await wb.hidePanel();
      await profileFromPalette();
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      // while it runs: status "running" and a progress line naming the target and run
      await panel.locator('#status', { hasText: 'running' }).waitFor();
      await panel
        .locator('#progress', {
          hasText: /(wasm-node-wasi|native-process): (warmup|measure) \d+\/\d+/,
        })
        .waitFor();
      await shot('profiling-panel-live.png');
      await panel.locator('#status', { hasText: 'complete' }).waitFor();
      await panel.locator('#overview tbody th', { hasText: 'wasm · node-wasi' }).waitFor();
      await panel.locator('#overview tbody th', { hasText: 'native · process' }).waitFor();
      // the verdict, in words, above the tables
      const sentence = await panel.locator('#verdict .verdict').first().textContent();
      if (
        !/^Wasm under Node WASI: image \d+× smaller · starts [\d.]+× slower \(95 % CI [\d.]+–[\d.]+×\) · [\d.]+× more memory than native/.test(
          sentence,
        )
      )
        throw new Error(`the verdict reads: ${sentence}`);
      // ~1 ms native next to ~100 ms Node WASI: a log scale, and the native run is drawn and labelled
      await panel.locator('#card-cold-start svg.wc-chart[data-scale="log"]').waitFor();
      await panel.locator('#card-memory svg.wc-chart[data-scale="log"]').waitFor();
      const nativeBox = await panel.locator('#card-cold-start rect.box').nth(1).boundingBox();
      const nativeBar = await panel.locator('#card-memory rect.bar').nth(1).boundingBox();
      if (!(nativeBox?.width > 0 && nativeBar?.width > 10))
        throw new Error(
          `native box ${JSON.stringify(nativeBox)}, bar ${JSON.stringify(nativeBar)}`,
        );
      const medians = await panel.locator('#card-cold-start text.value').allTextContents();
      if (medians.length !== 2 || !medians.every((m) => /^median [\d.]+ (µs|ms|s)$/.test(m)))
        throw new Error(`cold-start labels: ${medians.join(', ')}`);
      await shot('profiling-panel-light.png');
      await panel
        .locator('#card-cold-start')
        .evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await shot('profiling-panel-charts.png');
    },
  );

  await step(
    'after a reload into a dark theme the panel restores itself (serializer) in dark colours',
    async () => {
      const settingsFile = path.join(server.dir, 'user-data', 'User', 'settings.json');
      const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
      writeFileSync(
        settingsFile,
        JSON.stringify({ ...settings, 'workbench.colorTheme': 'Default Dark Modern' }, null, 2),
      );
      await page.reload();
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await panel.locator('body.vscode-dark').waitFor();
      await panel.locator('#overview tbody th', { hasText: 'wasm · node-wasi' }).waitFor();
      await panel.locator('#status', { hasText: 'complete' }).waitFor();
      await panel.locator('#card-cold-start svg.wc-chart').waitFor();
      await shot('profiling-panel-dark.png');
      await panel
        .locator('#card-cold-start')
        .evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await shot('profiling-panel-dark-charts.png');
    },
  );
  await step(
    'a second profile, then Compare in the runs history shows the deltas between the two runs',
    async () => {
      await page.locator('.tab', { hasText: 'Wasm Containers: Profiling' }).first().click();
      await profileFromPalette();
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      // the badge still says "complete" from the first run: wait for the second to start, then to end
      await panel.locator('#status', { hasText: 'running' }).waitFor();
      await panel.locator('#status', { hasText: 'complete' }).waitFor();
      await panel.locator('#runs tbody tr').nth(1).waitFor();
      await panel.locator('#compare').click();
      await panel.locator('#deltas tbody tr', { hasText: 'wasm-node-wasi' }).waitFor();
      await panel.locator('#deltas tbody tr', { hasText: 'native-process' }).waitFor();
      await panel.locator('#deltas').evaluate((node) => node.scrollIntoView({ block: 'center' }));
      await shot('profiling-panel-compare.png');
    },
  );
  await step(
    "the start storm the profile lacks: the card's button adds it to a spec and runs it",
    async () => {
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await panel
        .locator('#card-storm')
        .evaluate((node) => node.scrollIntoView({ block: 'center' }));
      await panel.locator('#card-storm vscode-button.add-scenario').click();
      // the spec opens beside the panel and the profile runs; the storm chart replaces the button
      await page.locator('.tab', { hasText: 'wasm-containers.profile.json' }).first().waitFor();
      await page.locator('.tab', { hasText: 'Wasm Containers: Profiling' }).first().click();
      await panel.locator('#status', { hasText: 'running' }).waitFor();
      await panel.locator('#status', { hasText: 'complete' }).waitFor();
      await panel.locator('#card-storm svg.wc-chart').waitFor();
      const spec = JSON.parse(
        readFileSync(path.join(server.ws, 'wasm-containers.profile.json'), 'utf8'),
      );
      if (JSON.stringify(spec.scenarios.startStorm) !== '{"counts":[1,10,100]}')
        throw new Error(`the spec's scenarios: ${JSON.stringify(spec.scenarios)}`);
      await panel
        .locator('#card-storm')
        .evaluate((node) => node.scrollIntoView({ block: 'center' }));
      await panel.locator('#card-storm svg.wc-chart .line').first().waitFor();
      await shot('profiling-panel-storm-added.png');
    },
  );
  await step(
    'a stored 8-target profile opened from the runs history: labels never overlap in light, dark and high contrast',
    async () => {
      const runs = path.join(server.ws, '.wasm-containers', 'runs');
      cpSync(
        path.join(root, 'test/fixtures/results/hello-8-targets.json'),
        path.join(runs, '2025-01-01T12-00-00-000Z-8a8a8a8a.json'),
      );
      await runPaletteCommand('Wasm Containers: Show Profiling Panel');
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const row = panel.locator('#runs tbody tr', { hasText: 'Hello, 8 targets' });
      await row.locator('vscode-button', { hasText: 'Open' }).click();
      await panel.locator('h1', { hasText: 'Hello, 8 targets' }).waitFor();
      for (const [theme, bodyClass, name] of [
        ['Light Modern', 'vscode-light', 'light'],
        ['Dark Modern', 'vscode-dark', 'dark'],
        ['Dark High Contrast', 'vscode-high-contrast', 'high-contrast'],
        ['Light High Contrast', 'vscode-high-contrast-light', 'high-contrast-light'],
      ]) {
        // as a user switches themes: the palette's Color Theme picker
        // (the palette ranks "Browse Color Themes in Marketplace" first: pick the row by its name)
        // (the panel stays the active editor: clicking its tab would move focus into the webview,
        // which closes the palette as it opens)
        await (await paletteRow('>Preferences: Color Theme', /^Preferences: Color Theme/)).click();
        const picker = page.locator('.quick-input-widget input');
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: /Modern/ })
          .first()
          .waitFor();
        await picker.fill(theme);
        await page
          .locator('.quick-input-list .monaco-list-row.focused', {
            hasText: new RegExp(`^${theme}`),
          })
          .waitFor();
        await page.keyboard.press('Enter');
        await panel.locator(`body.${bodyClass}`).waitFor();
        await panel.locator('#card-memory svg.wc-chart').waitFor();
        if ((await panel.locator('#verdict .verdict').count()) !== 7)
          throw new Error('expected 7 verdict sentences against native · process');
        for (const card of ['size', 'cold-start', 'memory', 'container-phases']) {
          const boxes = await panel
            .locator(`#card-${card} svg.wc-chart text`)
            .evaluateAll((nodes) =>
              nodes.map((n) => {
                const r = n.getBoundingClientRect();
                return [r.left, r.top, r.right, r.bottom, n.textContent];
              }),
            );
          if (boxes.filter((b) => b[4].startsWith('native · docker-runsc')).length === 0)
            throw new Error(`${card}: the runsc row is not labelled`);
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const [a, b] = [boxes[i], boxes[j]];
              if (a[2] > b[0] && b[2] > a[0] && a[3] > b[1] && b[3] > a[1])
                throw new Error(`${card} (${name}): "${a[4]}" overlaps "${b[4]}"`);
            }
        }
        await panel.locator('#verdict').evaluate((node) => node.scrollIntoView({ block: 'start' }));
        await shot(`profiling-panel-8-targets-${name}.png`);
        await panel
          .locator('#card-cold-start')
          .evaluate((node) => node.scrollIntoView({ block: 'start' }));
        await shot(`profiling-panel-8-targets-${name}-charts.png`);
      }
    },
  );
  await step(
    'an executable named in the workspace settings runs only after the user allows it, once',
    async () => {
      // the workspace asks for a specific Node to run modules with
      mkdirSync(path.join(server.ws, '.vscode'), { recursive: true });
      writeFileSync(
        path.join(server.ws, '.vscode', 'settings.json'),
        JSON.stringify({ 'wasmContainers.node.path': process.execPath }),
      );
      await page.reload();
      await wb.explorerRow('hello.wasm').waitFor();
      await wb.extensionRegistered();
      const runFromMenu = async () => {
        await wb.openContextMenu(wb.explorerRow('hello.wasm'), 'Run as Wasm Container');
        await chooseMenuItem(wb.menuItem('Run as Wasm Container'));
      };
      await runFromMenu();
      const dialog = page.locator('.monaco-dialog-box', {
        hasText: `This workspace's settings name an executable to run: ${process.execPath}`,
      });
      await dialog.waitFor();
      await shot('approve-workspace-executable.png');
      await dialog.getByRole('button', { name: 'Allow' }).click();
      const finished = page
        .locator('.terminal-wrapper .xterm-rows')
        .filter({ hasText: /exit code 0 · .* · node-wasi/ })
        .first();
      await finished.waitFor();
      // the second run does not ask again: with the first run's terminal gone, the next finished
      // run in a terminal is the second one, and no dialog came before it
      await runPaletteCommand('Terminal: Kill All Terminals');
      await finished.waitFor({ state: 'detached' });
      await runFromMenu();
      await finished.or(dialog).first().waitFor();
      if ((await dialog.count()) !== 0) throw new Error('the approval was asked for again');
    },
  );
} catch (e) {
  harnessFailed(e);
}
await finish(context, server);
