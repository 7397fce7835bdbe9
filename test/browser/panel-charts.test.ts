// The panel's charts as a reader sees them, with 1, 2, 4 and 8 targets in the light, dark and
// high-contrast schemes (the standalone report follows the OS scheme and contrast): the verdict
// sentence, log scales where values span more than 20×, every bar labelled and visible, and no
// two labels overlapping. A screenshot of each lands in screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { standaloneHtml } from '../../src/core/profile/report-html';
import { subjectNames, verdictWords } from '../../src/core/profile/report-verdict';
import { verdictsOf } from '../../src/core/profile/verdict';
import { HELLO_SHAPES, syntheticResult } from '../unit/synthetic-result';
import { repoRoot, tempDir } from '../unit/helpers';

const shots = path.join(repoRoot, 'screenshots');
type Scheme = 'light' | 'dark' | 'high-contrast';
type Box = { x: number; y: number; width: number; height: number; text: string };

/** Pairs of label boxes inside one chart that intersect. */
async function overlappingLabels(page: Page, chart: string): Promise<string[]> {
  const boxes: Box[] = await page.locator(`${chart} svg.wc-chart text`).evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, text: n.textContent ?? '' };
    }),
  );
  const hits: string[] = [];
  boxes.forEach((a, i) =>
    boxes.slice(i + 1).forEach((b) => {
      const apart =
        a.x + a.width <= b.x ||
        b.x + b.width <= a.x ||
        a.y + a.height <= b.y ||
        b.y + b.height <= a.y;
      if (!apart) hits.push(`"${a.text}" × "${b.text}"`);
    }),
  );
  return hits;
}

const isOneTwoFive = (v: number) => /^[125]$/.test(String(v / 10 ** Math.floor(Math.log10(v))));

function oneTwoFive(ticks: string[], log: boolean): boolean {
  const parsed = ticks.map((t) => /^([\d.]+)(?: (\S+))?$/.exec(t));
  if (parsed.some((m) => !m)) return false;
  const values = parsed.map((m) => Number(m![1]));
  if (log) return values.every(isOneTwoFive);
  const units = new Set(parsed.map((m) => m![2]).filter(Boolean));
  const step = values[1] - values[0];
  return (
    units.size <= 1 &&
    isOneTwoFive(step) &&
    values.every((v, i) => Math.abs(v - values[0] - i * step) < step * 1e-6)
  );
}

describe('panel charts with 1, 2, 4 and 8 targets', () => {
  let browser: Browser;
  let dir: string;
  before(async () => {
    mkdirSync(shots, { recursive: true });
    dir = tempDir('wc-charts-');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  for (const count of [1, 2, 4, 8])
    for (const scheme of ['light', 'dark', 'high-contrast'] as Scheme[])
      it(`${count} target${count > 1 ? 's' : ''}, ${scheme}`, async () => {
        const result = syntheticResult(HELLO_SHAPES.slice(0, count), {
          name: `Hello, ${count} targets`,
        });
        const file = path.join(dir, `report-${count}.html`);
        writeFileSync(file, standaloneHtml({ result, runs: [], live: false }, 'charts'));
        const page = await browser.newPage({
          viewport: { width: 1280, height: 900 },
          colorScheme: scheme === 'light' ? 'light' : 'dark',
          contrast: scheme === 'high-contrast' ? 'more' : 'no-preference',
        });
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(String(e)));
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        await page.goto(`file://${file}`);
        await page.locator('#card-size svg.wc-chart').waitFor();
        assert.deepEqual(problems, []);

        // the verdict, word for word as the text report has it
        const expected = verdictsOf(result).map(
          (v) => verdictWords(v, subjectNames(result.targets)).sentence,
        );
        const shown = await page.locator('#verdict .verdict').allTextContents();
        assert.deepEqual(shown, expected);
        if (count === 1)
          assert.match(
            (await page.locator('#nothing-to-compare').textContent()) ?? '',
            /only wasm · node-wasi was measured/,
          );

        for (const chart of [
          '#card-size',
          '#card-cold-start',
          '#card-memory',
          '#card-container-phases',
        ]) {
          if ((await page.locator(chart).count()) === 0) continue;
          assert.deepEqual(await overlappingLabels(page, chart), [], `${chart}: labels overlap`);
        }
        if (count >= 2) {
          // 120 ms next to 1.1 ms: a log scale, and the native run is a visible, labelled bar/box
          assert.equal(
            await page.locator('#card-cold-start svg.wc-chart').getAttribute('data-scale'),
            'log',
          );
          assert.equal(
            await page.locator('#card-memory svg.wc-chart').getAttribute('data-scale'),
            'log',
          );
          const nativeBar = page.locator('#card-memory rect.bar').nth(1);
          const box = await nativeBar.boundingBox();
          assert.ok(
            box && box.width > 20,
            `the native memory bar is visible: ${JSON.stringify(box)}`,
          );
          assert.match(
            (await page.locator('#card-memory text.value').allTextContents()).join(' '),
            /6\d\d KiB/,
          );
          assert.equal(await page.locator('#card-memory text.category').count(), count);
        }
        // ticks: 1-2-5 values of one unit (log), or multiples of a 1-2-5 step of one unit (linear)
        const ticks = await page.locator('#card-size text.tick').allTextContents();
        const scale = await page.locator('#card-size svg.wc-chart').getAttribute('data-scale');
        assert.ok(oneTwoFive(ticks, scale === 'log'), `${scale} ticks ${ticks.join(', ')}`);
        await page.screenshot({
          path: path.join(shots, `panel-${count}-targets-${scheme}.png`),
          fullPage: true,
        });
        await page.close();
      });

  it('hovering a dot of the cold-start chart names its run; the log switch changes the scale', async () => {
    const result = syntheticResult(HELLO_SHAPES.slice(0, 2));
    const file = path.join(dir, 'hover.html');
    writeFileSync(file, standaloneHtml({ result, runs: [], live: false }, 'hover'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${file}`);
    const chart = page.locator('#card-cold-start svg.wc-chart');
    await chart.waitFor();
    const box = await chart.locator('rect.box').first().boundingBox();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const tip = page.locator('.wc-tooltip');
    await tip.waitFor();
    assert.match((await tip.textContent()) ?? '', /wasm · node-wasi/);
    await page.locator('#card-cold-start .log-switch').click();
    await page.locator('#card-cold-start svg.wc-chart[data-scale="linear"]').waitFor();
    await page.close();
  });
});
