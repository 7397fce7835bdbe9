import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareWithBaseline, parsePercent } from '../../src/core/profile/baseline';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import { renderMarkdownReport } from '../../src/core/profile/report-markdown';
import { renderTextReport } from '../../src/core/profile/report-text';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import { loadProfileSpec, parseProfileSpec, SpecError } from '../../src/core/profile/spec';
import { resolveSpecTargets } from '../../src/core/profile/spec-targets';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { helloDir, helloNative, helloWasm, tempDir } from './helpers';

describe('profile spec', () => {
  it('fills defaults and resolves paths relative to the file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub', 'wasm-containers.profile.json');
    mkdirSync(path.dirname(file));
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          { id: 'w', runtime: 'node-wasi', artifact: '../m.wasm', dirs: ['data::/data'] },
          { id: 'i', runtime: 'docker-runc', artifact: 'img:1' },
        ],
      }),
    );
    const spec = loadProfileSpec(file);
    assert.equal(spec.runs, 10);
    assert.equal(spec.warmup, 2);
    assert.equal(spec.order, 'interleaved');
    assert.deepEqual(spec.scenarios, { coldStart: true });
    assert.equal(spec.targets[0].artifact, path.join(dir, 'm.wasm'));
    assert.deepEqual(spec.targets[0].dirs, [
      { host: path.join(dir, 'sub', 'data'), guest: '/data' },
    ]);
    assert.equal(spec.targets[1].artifact, 'img:1', 'image references are not paths');
  });

  it('names the JSON path and what was expected for every mistake', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{}, /targets: expected a non-empty array/],
      [
        { targets: [{ id: 'a b', runtime: 'x', artifact: 'y' }] },
        /targets\[0\]\.id: expected an identifier/,
      ],
      [
        {
          targets: [
            { id: 'a', runtime: 'x', artifact: 'y' },
            { id: 'a', runtime: 'x', artifact: 'y' },
          ],
        },
        /targets\[1\]\.id: 'a' is used twice/,
      ],
      [{ targets: [{ id: 'a', artifact: 'y' }] }, /targets\[0\]\.runtime: expected a runtime id/],
      [
        { runs: 0, targets: [{ id: 'a', runtime: 'x', artifact: 'y' }] },
        /runs: expected a whole number ≥ 1, got 0/,
      ],
      [
        { reference: 'zz', targets: [{ id: 'a', runtime: 'x', artifact: 'y' }] },
        /reference: no target has the id "zz"/,
      ],
      [
        { markers: ['one'], targets: [{ id: 'a', runtime: 'x', artifact: 'y' }] },
        /markers: expected \[START, STOP\]/,
      ],
      [
        {
          scenarios: { density: { instances: [0] } },
          targets: [{ id: 'a', runtime: 'x', artifact: 'y' }],
        },
        /scenarios\.density\.instances\[0\]: expected a whole number ≥ 1/,
      ],
    ];
    for (const [json, pattern] of bad)
      assert.throws(
        () => parseProfileSpec(JSON.stringify(json), 'p.json'),
        (e: unknown) => e instanceof SpecError && pattern.test(e.message),
      );
    assert.throws(
      () => parseProfileSpec('{ "targets": [', 'p.json'),
      /p\.json: \(file\): not valid JSON/,
    );
  });

  it('binds targets to the runtimes found here, refusing absent ones with the reason', async () => {
    const catalog = await detectRuntimes({
      skipEngines: true,
      paths: { wasmtime: '/nonexistent/wasmtime' },
    });
    const ok = parseProfileSpec(
      JSON.stringify({
        targets: [
          { id: 'w', runtime: 'node-wasi', artifact: helloWasm },
          { id: 'n', runtime: 'process', artifact: helloNative },
        ],
      }),
      'p.json',
    );
    const targets = await resolveSpecTargets(ok, catalog);
    assert.deepEqual(
      targets.map((t) => [t.id, t.label, t.runtime.id]),
      [
        ['w', 'w · node-wasi', 'node-wasi'],
        ['n', 'n · process', 'process'],
      ],
    );
    const absent = parseProfileSpec(
      JSON.stringify({ targets: [{ id: 'w', runtime: 'wasmtime', artifact: helloWasm }] }),
      'p.json',
    );
    await assert.rejects(
      resolveSpecTargets(absent, catalog),
      /Target 'w': Wasmtime is not available: \/nonexistent\/wasmtime is not an executable file/,
    );
    const unknown = parseProfileSpec(
      JSON.stringify({ targets: [{ id: 'w', runtime: 'quantum', artifact: helloWasm }] }),
      'p.json',
    );
    await assert.rejects(
      resolveSpecTargets(unknown, catalog),
      /unknown runtime 'quantum' \(known here: node-wasi/,
    );
  });

  it('the committed example specs parse', () => {
    for (const f of ['containers.profile.json']) loadProfileSpec(path.join(helloDir, f));
  });
});

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

describe('baseline comparison', () => {
  const fake = (id: string, walls: number[]): ProfileResult['targets'][number] => ({
    id,
    label: id,
    runtime: 'process',
    runs: 'native',
    artifact: '',
    args: [],
    sizeBytes: 1,
    sizeKind: 'file',
    warmupSamples: [],
    samples: walls.map((wallMs, index) => ({
      index,
      wallMs,
      exitCode: 0,
      signal: null,
      maxRssKb: 1,
      markers: {},
      exact: true,
      stdoutBytes: 0,
    })),
    summary: {
      wallMs: {
        n: walls.length,
        mean: 0,
        sd: 0,
        median: [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)],
        min: 0,
        max: 0,
        p95: 0,
        mad: 0,
        outliers: [],
      },
      firstOutputMs: {} as never,
      maxRssKb: {} as never,
      failures: 0,
    },
  });
  const result = (targets: ProfileResult['targets']) => ({ targets }) as ProfileResult;

  it('flags a target more than the threshold slower, and only that', () => {
    const before = result([fake('a', [10, 10, 10, 10, 10]), fake('b', [20, 20, 20, 20, 20])]);
    const after = result([
      fake('a', [12, 12, 12, 12, 12]),
      fake('b', [20.5, 20.5, 20.5, 20.5, 20.5]),
      fake('c', [1, 1, 1]),
    ]);
    const cmp = compareWithBaseline(after, before, 10);
    assert.deepEqual(
      cmp.rows.map((r) => [r.target, r.verdict]),
      [
        ['a', 'slower'],
        ['b', 'same'],
        ['c', 'missing'],
      ],
    );
    assert.equal(cmp.regressed, true);
    assert.equal(compareWithBaseline(after, before, 25).regressed, false);
    assert.equal(compareWithBaseline(before, after, 10).rows[0].verdict, 'faster');
  });

  it('calls a difference beyond the threshold inconclusive when the interval includes 1', () => {
    const before = result([fake('a', [10, 30, 10, 30, 10, 30])]);
    const after = result([fake('a', [12, 35, 11, 36, 12, 34])]);
    const cmp = compareWithBaseline(after, before, 10);
    assert.equal(cmp.rows[0].verdict, 'inconclusive', JSON.stringify(cmp.rows[0].ratio));
    assert.equal(cmp.regressed, false);
  });

  it('parses percentages', () => {
    assert.equal(parsePercent('10%'), 10);
    assert.equal(parsePercent(' 2.5 '), 2.5);
    assert.throws(() => parsePercent('ten'), /percentage/);
  });
});
