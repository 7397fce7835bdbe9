import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import { renderMarkdownReport } from '../../src/core/profile/report-markdown';
import { renderTextReport } from '../../src/core/profile/report-text';
import { helloDir, helloNative } from '../unit/helpers';

describe('scenarios (real processes)', () => {
  it('start storms run N sequential starts and report total and per-start time', async () => {
    const result = await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), {
      runs: 1,
      warmup: 0,
      scenarios: { coldStart: false, startStorm: { counts: [1, 5] } },
    });
    assert.equal(result.status, 'complete');
    assert.equal(result.targets[0].samples.length, 0, 'no cold-start runs when coldStart is false');
    assert.deepEqual(
      result.scenarios.storms.map((s) => [s.target, s.count, s.failures]),
      [
        ['wasm-node-wasi', 1, 0],
        ['native-process', 1, 0],
        ['wasm-node-wasi', 5, 0],
        ['native-process', 5, 0],
      ],
    );
    for (const s of result.scenarios.storms) {
      assert.ok(s.totalMs >= s.sumWallMs && s.sumWallMs > 0, JSON.stringify(s));
      assert.ok(Math.abs(s.perStartMs - s.totalMs / s.count) < 1e-9);
    }
    assert.match(renderTextReport(result, 't'), /Start storms \(sequential starts\):/);
  });

  it('density brings N instances up, reads their memory from the OS, and stops them all', async () => {
    const targets = nodeWasiVsNativeTargets(discoverPair(helloDir));
    const result = await runProfile(targets, {
      runs: 1,
      warmup: 0,
      scenarios: {
        coldStart: false,
        density: { instances: [3], args: ['sleep', '30'], readyMarker: 'Starting', settleMs: 100 },
      },
    });
    const [wasm, native] = result.scenarios.density;
    for (const d of [wasm, native]) {
      assert.equal(d.ready, 3, d.errors.join('; '));
      assert.equal(d.failures, 0);
      assert.equal(d.measured, 3);
      assert.ok(d.upMs > 0);
      assert.ok(
        d.totalRssKb > 0 && d.totalPssKb! > 0 && d.totalPssKb! <= d.totalRssKb,
        JSON.stringify(d),
      );
    }
    assert.ok(
      wasm.perInstanceRssKb > 10 * native.perInstanceRssKb,
      'a Node process holds far more than a static binary',
    );
    // every instance was stopped: nothing sleeps on
    const { execFileSync } = await import('node:child_process');
    const left = execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter((l) => l.includes(helloNative) && l.includes('sleep 30'));
    assert.deepEqual(left, []);
  });

  it('density reports instances that never become ready', async () => {
    const result = await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)).slice(1), {
      runs: 1,
      warmup: 0,
      scenarios: {
        coldStart: false,
        density: { instances: [2], args: ['exit', '0'], readyMarker: 'Starting', settleMs: 0 },
      },
    });
    const [d] = result.scenarios.density;
    assert.equal(d.ready, 0);
    assert.equal(d.failures, 2);
    assert.ok(
      d.errors.some((e) => /exited early with code 0/.test(e)),
      d.errors.join('; '),
    );
  });

  it('density never divides by instances that exited before memory was read', async () => {
    const result = await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)).slice(1), {
      runs: 1,
      warmup: 0,
      scenarios: {
        coldStart: false,
        density: { instances: [3], args: ['sleep', '0.1'], readyMarker: 'Starting', settleMs: 600 },
      },
    });
    const [d] = result.scenarios.density;
    assert.equal(d.ready, 3);
    assert.equal(d.measured, 0);
    assert.equal(d.failures, 3);
    assert.ok(Number.isNaN(d.perInstanceRssKb));
    assert.ok(
      d.errors.some((e) => /3 instance\(s\) had exited by the time memory was read/.test(e)),
      d.errors.join('; '),
    );
  });

  it('memory over time samples the resident set during one run', async () => {
    const result = await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), {
      runs: 1,
      warmup: 0,
      scenarios: { coldStart: false, memoryTimeline: { intervalMs: 20, args: ['sleep', '0.4'] } },
    });
    for (const t of result.scenarios.timelines) {
      assert.equal(t.exitCode, 0);
      assert.ok(t.points.length >= 8, `${t.target}: ${t.points.length} points`);
      assert.ok(t.points.every(([ms, kb], i) => kb > 0 && (i === 0 || ms > t.points[i - 1][0])));
    }
    assert.match(renderMarkdownReport(result, 't'), /## Memory over time \(one run\)/);
    assert.ok(result.profilerPeakRssKb! > 0);
  });
});
