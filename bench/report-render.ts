// How long the standalone report (the panel's page) takes to render profiles of 100 … 100 000
// samples in Chromium: the timing the browser test leaves out (it counts elements instead).
//   npm run build && node --import tsx bench/report-render.ts [repetitions=5]
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { runProfile } from '../src/core/profile/profiler';
import { discoverPair } from '../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../src/core/profile/profile-pair';
import { standaloneHtml } from '../src/core/profile/report-html';
import { withSamples } from './synthetic-result';

async function main(): Promise<void> {
  const repetitions = Number(process.argv[2] ?? 5);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wc-bench-render-'));
  const hello = discoverPair(path.resolve(__dirname, '..', 'examples', 'hello'));
  const base = await runProfile(nodeWasiVsNativeTargets(hello), { runs: 3, warmup: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const n of [100, 1_000, 10_000, 100_000]) {
      const file = path.join(dir, `${n}.html`);
      writeFileSync(
        file,
        standaloneHtml({ result: withSamples(base, n), runs: [], live: false }, 'bench'),
      );
      const ms: number[] = [];
      for (let i = 0; i < repetitions; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(`file://${file}`);
        await page.locator('#overview').waitFor();
        ms.push(Number(await page.evaluate(() => document.body.dataset.renderMs)));
        await page.close();
      }
      ms.sort((a, b) => a - b);
      console.log(
        `${String(n).padStart(7)} samples: render median ${ms[Math.floor(ms.length / 2)]} ms, min ${ms[0]} ms, max ${ms.at(-1)} ms (n=${ms.length})`,
      );
    }
  } finally {
    await browser.close();
  }
}

void main();
