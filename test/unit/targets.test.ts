import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareWithBaseline } from '../../src/core/profile/baseline';
import { dockerfileTargets } from '../../src/core/profile/dockerfile-targets';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import { loadResult } from '../../src/core/profile/results-store';
import {
  defaultSpecFor,
  parseProfileSpec,
  type ProfileSpecFile,
} from '../../src/core/profile/spec';
import {
  counterpartOf,
  NATIVE_PROCESS,
  targetId,
  targetLabel,
} from '../../src/core/profile/targets';
import { helloDir, tempDir } from './helpers';

describe('target ids and labels come from one place', () => {
  it('every entry point names the same role the same way', async () => {
    const pair = discoverPair(helloDir);
    const fromModule = nodeWasiVsNativeTargets(pair).map((t) => [t.id, t.label]);
    const fromDockerfile = (await dockerfileTargets(path.join(helloDir, 'Dockerfile'))).targets.map(
      (t) => [t.id, t.label],
    );
    const spec = defaultSpecFor('hello.wasm', 'hello') as ProfileSpecFile;
    const fromInit = spec.targets.map((t) => [t.id, t.label]);
    const expected = [
      ['wasm-node-wasi', 'wasm · node-wasi'],
      ['native-process', 'native · process'],
    ];
    assert.deepEqual(fromModule, expected);
    assert.deepEqual(fromDockerfile, expected);
    assert.deepEqual(fromInit, expected);
    assert.equal(targetId({ runs: 'native', runtime: 'docker-runc' }), 'native-docker-runc');
    assert.equal(targetLabel({ runs: 'wasm', runtime: 'wasmtime-aot' }), 'wasm · wasmtime-aot');
    // a spec that names its targets keeps their names
    const parsed = parseProfileSpec(
      JSON.stringify({ targets: [{ id: 'mine', runtime: 'node-wasi', artifact: 'hello.wasm' }] }),
      path.join(helloDir, 'x.profile.json'),
    );
    assert.equal(parsed.targets[0]?.id, 'mine');
  });

  it('several targets of one role are told apart by id', () => {
    const a = { id: 'small', runs: 'wasm' as const, runtime: 'wasmtime' };
    const b = { id: 'large', runs: 'wasm' as const, runtime: 'wasmtime' };
    assert.equal(counterpartOf(b, [a, b]), b);
    assert.equal(counterpartOf({ ...b, id: 'other' }, [a, b]), undefined);
    assert.equal(counterpartOf({ ...a, runtime: 'wasmer' }, [a, b]), undefined);
    assert.equal(
      counterpartOf({ id: 'x', ...NATIVE_PROCESS }, [{ id: 'native', ...NATIVE_PROCESS }])?.id,
      'native',
    );
  });

  it('runs stored before ids were minted here (init wrote "wasm" and "native") still load and compare', async () => {
    const now = await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), {
      runs: 3,
      warmup: 0,
    });
    // the same run as the earlier schemes stored it: ids from `init` specs and the image profile
    const before: ProfileResult = structuredClone(now);
    const oldIds: Record<string, string> = { 'wasm-node-wasi': 'wasm', 'native-process': 'native' };
    for (const t of before.targets) t.id = oldIds[t.id] ?? t.id;
    for (const c of before.comparisons) {
      c.target = oldIds[c.target] ?? c.target;
      c.reference = oldIds[c.reference] ?? c.reference;
    }
    const file = path.join(tempDir(), 'before.json');
    writeFileSync(file, JSON.stringify(before));
    const loaded = loadResult(file);
    assert.deepEqual(
      loaded.targets.map((t) => t.id),
      ['wasm', 'native'],
    );
    const cmp = compareWithBaseline(now, loaded, 10);
    assert.deepEqual(
      cmp.rows.map((r) => r.target),
      ['wasm-node-wasi', 'native-process'],
    );
    assert.ok(
      cmp.rows.every((r) => r.verdict !== 'missing' && Number.isFinite(r.baselineMedianMs)),
      JSON.stringify(cmp.rows),
    );
    // and the other way round: today's run as the baseline of an old one
    assert.ok(compareWithBaseline(loaded, now, 10).rows.every((r) => r.verdict !== 'missing'));
  });
});
