import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { standaloneHtml } from '../../src/core/profile/report-html';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import { summarizeTarget } from '../../src/core/profile/profiler';
import { loadResult } from '../../src/core/profile/results-store';
import { runProcess } from '../../src/core/process/run-process';
import { repoRoot, tempDir } from '../unit/helpers';

const shots = path.join(repoRoot, 'screenshots');
const CHARTS = [
  'size',
  'cold-start',
  'memory',
  'phases',
  'timeline',
  'storm',
  'density-per-instance',
  'density-total',
];

describe('standalone HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let realResult: ProfileResult;
  let reportFile: string;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    dir = tempDir('wc-report-');
    reportFile = path.join(dir, 'report.html');
    // a real profile of the example by the real CLI, with every scenario
    const r = await runProcess(process.execPath, [
      path.join(repoRoot, 'dist/cli.js'),
      'profile',
      path.join(repoRoot, 'examples/hello'),
      '--runs',
      '8',
      '--warmup',
      '1',
      '--markers',
      'Starting,Stopped',
      '--storm',
      '1,3',
      '--density',
      '2,4',
      '--memory-interval',
      '20',
      '--results-dir',
      path.join(dir, 'runs'),
      '--export-html',
      reportFile,
      '--export-json',
      path.join(dir, 'r.json'),
      '--',
      'sleep',
      '0.15',
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    realResult = loadResult(path.join(dir, 'r.json'));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
  });
  after(async () => {
    await browser?.close();
  });

  async function open(
    file: string,
    colorScheme: 'light' | 'dark',
  ): Promise<{ page: Page; requests: string[]; problems: string[] }> {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      colorScheme,
      acceptDownloads: true,
    });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`file://${file}`);
    await page.locator('#overview').waitFor();
    return { page, requests, problems };
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders every chart from a real profile, offline, in the ${scheme} scheme`, async () => {
      const { page, requests, problems } = await open(reportFile, scheme);
      assert.deepEqual(requests, [`file://${reportFile}`], 'no request beyond the file itself');
      assert.deepEqual(problems, [], 'no console errors and no CSP violations');
      assert.equal(
        await page.evaluate(() => document.body.classList.contains('vscode-dark')),
        scheme === 'dark',
      );
      const rows = await page.locator('#overview tbody th').allTextContents();
      assert.deepEqual(rows, ['wasm · node-wasi', 'native · process']);
      for (const id of CHARTS) {
        const card = page.locator(`#card-${id}`);
        assert.equal(
          await card.evaluate((n) => n.classList.contains('empty')),
          false,
          `${id} has data`,
        );
        const chart = card.locator('svg.wc-chart');
        assert.equal(await chart.count(), 1, `${id} drew a chart`);
        const box = await chart.boundingBox();
        assert.ok(
          box && box.width > 300 && box.height > 60,
          `${id} chart size ${JSON.stringify(box)}`,
        );
        // the axes carry units, and every chart has its tick labels
        assert.ok((await card.locator('text.tick').count()) >= 2, `${id} has an axis`);
      }
      assert.match((await page.locator('#card-cold-start .caption').textContent()) ?? '', /n=8/);
      const file = path.join(shots, `report-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`    screenshot: ${file}`);
      await page.close();
    });
  }

  it('exports JSON, CSV, Markdown and a chart PNG as downloads', async () => {
    const { page } = await open(reportFile, 'light');
    for (const [label, pattern] of [
      ['Export JSON', /"schemaVersion": 1/],
      ['Export CSV', /^target,runtime,phase,index/],
      ['Export Markdown', /^# Wasm vs native/],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByText(label, { exact: true }).click(),
      ]);
      const saved = path.join(dir, download.suggestedFilename());
      await download.saveAs(saved);
      assert.match(readFileSync(saved, 'utf8'), pattern);
    }
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#card-cold-start vscode-button.save').click(),
    ]);
    const pngFile = path.join(dir, png.suggestedFilename());
    await png.saveAs(pngFile);
    assert.deepEqual([...readFileSync(pngFile).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    await page.close();
  });

  it('shows hostile names as text, never as markup', async () => {
    const hostile = structuredClone(realResult);
    hostile.targets[0].label = '<img src=x onerror="window.pwned=1">';
    hostile.settings.name = '</script><script>window.pwned=2</script>';
    const file = path.join(dir, 'hostile.html');
    writeFileSync(
      file,
      standaloneHtml({ result: hostile, runs: [], live: false }, hostile.settings.name),
    );
    const { page, problems } = await open(file, 'light');
    assert.equal(
      await page.locator('#overview tbody th').first().textContent(),
      hostile.targets[0].label,
    );
    assert.equal(await page.locator('h1').textContent(), hostile.settings.name);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
      undefined,
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('draws a profile of 10 000 samples with a bounded number of elements', async () => {
    const big = structuredClone(realResult);
    const template = big.targets[0].samples[0];
    big.targets[0].samples = Array.from({ length: 10_000 }, (_, i) => ({
      ...template,
      index: i,
      wallMs: 100 + ((i * 7919) % 1000) / 10,
      maxRssKb: 40_000 + (i % 97),
    }));
    big.targets[0].summary = summarizeTarget(big.targets[0].samples, ['Starting', 'Stopped']);
    const file = path.join(dir, 'big.html');
    writeFileSync(file, standaloneHtml({ result: big, runs: [], live: false }, 'big'));
    const { page } = await open(file, 'light');
    // a figure for the log, not a threshold: the machine decides the time, the code the work
    console.log(
      `    10 000 samples rendered in ${await page.evaluate(() => document.body.dataset.renderMs)} ms`,
    );
    assert.match((await page.locator('#card-cold-start .caption').textContent()) ?? '', /n=10000/);
    // every run is drawn, as one path per target: the work does not grow with the runs
    const dots = page.locator('#card-cold-start path.dots');
    assert.equal(await dots.count(), 2);
    assert.equal(((await dots.first().getAttribute('d')) ?? '').split('M').length - 1, 10_000);
    const elements = await page.locator('#card-cold-start svg.wc-chart *').count();
    assert.ok(elements < 100, `${elements} elements in the cold-start chart`);
    await page.close();
  });
});
