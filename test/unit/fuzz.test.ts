import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import { decodeCoreModule } from '../../src/core/wasm/core-module';
import { inspectBytes } from '../../src/core/wasm/inspect';
import { prng } from '../fuzz/mutate';
import {
  contextTarget,
  dockerfileTarget,
  resultsTarget,
  runFuzz,
  wasmTarget,
  type FuzzTarget,
} from '../fuzz/targets';
import { helloDir, helloWasm, repoRoot } from './helpers';

const corpus = path.join(repoRoot, 'test', 'fixtures', 'fuzz');

/** A short seeded campaign per target (bench/fuzz.mjs runs ≥ 100 000 per target). */
describe('fuzzing (seeded, short)', () => {
  let resultSeed = '';
  before(async () => {
    resultSeed = JSON.stringify(
      await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), { runs: 2, warmup: 0 }),
    );
  });

  const cases: Array<[string, () => FuzzTarget]> = [
    ['the Wasm decoder, WAT printer and size attribution', () => wasmTarget()],
    ['the Dockerfile analysis', () => dockerfileTarget()],
    ["the daemonless builder's context handling", () => contextTarget()],
    ['the results loader and the reports', () => resultsTarget(resultSeed)],
  ];
  for (const [name, make] of cases) {
    // slow inputs (a hang) are the campaign's to flag (test/fuzz/run-fuzz.ts, bench/fuzz.mjs):
    // here a busy machine must not turn a slow moment into a failure
    it(`${name}: 1 500 mutants, no crash`, () => {
      const run = runFuzz(make(), prng(20261123), 1500, Infinity);
      assert.equal(run.inputs, 1500);
      assert.deepEqual(
        run.crashes.map((c) => c.error.split('\n')[0]),
        [],
      );
    });
  }

  it('replays every recorded crasher and corpus file without a crash', () => {
    const targets: Record<string, FuzzTarget> = {
      'wasm-decoder': wasmTarget(),
      'Dockerfile-analysis': dockerfileTarget(),
      'daemonless-build-context': contextTarget(),
      'results-loader': resultsTarget(resultSeed),
    };
    let replayed = 0;
    for (const [dir, target] of Object.entries(targets)) {
      const folder = path.join(corpus, dir);
      if (!existsSync(folder)) continue;
      for (const f of readdirSync(folder).filter((x) => !x.endsWith('.error.txt'))) {
        const data = readFileSync(path.join(folder, f));
        target.check(f.endsWith('.bin') || f.endsWith('.wasm') ? data : data.toString('utf8'));
        replayed++;
      }
    }
    assert.ok(replayed >= 3, `${replayed} corpus files replayed`);
  });
});

describe('crashers the fuzzer found (regressions)', () => {
  it('a second code section is a problem, not a second set of functions', () => {
    const bytes = readFileSync(path.join(corpus, 'wasm-decoder', 'duplicate-code-section.wasm'));
    const m = decodeCoreModule(bytes);
    assert.match(
      m.problems.map((p) => p.message).join('\n'),
      /the code section comes after the data section, out of order/,
    );
    assert.equal(
      new Set(m.functions.map((f) => f.index)).size,
      m.functions.length,
      'no function twice',
    );
    assert.equal(m.functions.length, decodeCoreModule(readFileSync(helloWasm)).functions.length);
  });

  it('the same section twice in a row is reported as such', () => {
    const m = decodeCoreModule(
      readFileSync(path.join(corpus, 'wasm-decoder', 'code-section-twice.wasm')),
    );
    assert.match(m.problems[0].message, /^a second code section: each section may appear once$/);
    assert.equal(m.functions.length, decodeCoreModule(readFileSync(helloWasm)).functions.length);
  });

  it('a one-byte file has a one-byte preamble in the size attribution', () => {
    const report = inspectBytes(Buffer.from([0]));
    assert.deepEqual(report.size?.bySection, [{ name: 'preamble', bytes: 1, share: 1 }]);
  });
});

describe('results the loader refuses (regressions)', () => {
  it('names the first wrong field by its JSON path', async () => {
    const { loadResult } = await import('../../src/core/profile/results-store');
    const folder = path.join(corpus, 'results-loader');
    assert.throws(
      () => loadResult(path.join(folder, 'dangling-comparison.txt')),
      /is not a well-formed profile result: result\.comparisons\[0\]\.target: expected the id of one of the targets, got "no-such-target"/,
    );
    assert.throws(
      () => loadResult(path.join(folder, 'empty-container-phases.txt')),
      /result\.targets\[0\]\.summary\.containerPhases\.create: missing/,
    );
    assert.throws(
      () => loadResult(path.join(folder, 'null-sample.txt')),
      /result\.targets\[1\]\.samples\[0\]: expected an object, got null/,
    );
  });
});
