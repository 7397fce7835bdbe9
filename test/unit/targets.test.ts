import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareWithBaseline } from '../../src/core/profile/baseline';
import { dockerfileTargets } from '../../src/core/profile/dockerfile-targets';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
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
import { helloDir, repoRoot } from './helpers';

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

  it('runs stored before ids were minted here (init wrote "wasm" and "native") still load and compare', () => {
    // a real run stored by the CLI from the spec `init` used to write (ids "wasm" and "native")
    const before = loadResult(path.join(repoRoot, 'test/fixtures/results/init-spec-ids.json'));
    assert.deepEqual(
      before.targets.map((t) => t.id),
      ['wasm', 'native'],
    );
    // the same measurements as today's entry points name them
    const now: ProfileResult = structuredClone(before);
    for (const t of now.targets) t.id = targetId(t);
    const cmp = compareWithBaseline(now, before, 10);
    assert.deepEqual(
      cmp.rows.map((r) => [r.target, r.verdict]),
      [
        ['wasm-node-wasi', 'same'],
        ['native-process', 'same'],
      ],
    );
    // and the other way round: today's run as the baseline of the old one
    assert.ok(compareWithBaseline(before, now, 10).rows.every((r) => r.verdict === 'same'));
  });
});
