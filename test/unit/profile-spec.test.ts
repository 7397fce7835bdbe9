import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareWithBaseline, parsePercent } from '../../src/core/profile/baseline';
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

  it("names the JSON path and what was expected for every mistake, in the schema's words", () => {
    const t = { id: 'a', runtime: 'x', artifact: 'y' };
    const bad: Array<[unknown, RegExp]> = [
      [{}, /^p\.json: targets: missing \(a non-empty array of targets/],
      [{ targets: [] }, /^p\.json: targets: expected a non-empty array of targets.*, got \[\]$/],
      [
        { targets: [{ ...t, id: 'a b' }] },
        /targets\[0\]\.id: expected an identifier \(letters, digits, \. _ -\), got "a b"/,
      ],
      [{ targets: [t, t] }, /targets\[1\]\.id: 'a' is used twice/],
      [{ targets: [{ id: 'a', artifact: 'y' }] }, /targets\[0\]\.runtime: missing \(the runtime/],
      [{ runs: 0, targets: [t] }, /runs: expected a whole number ≥ 1, got 0/],
      [{ runs: 'many', targets: [t] }, /runs: expected a whole number, got "many"/],
      [{ reference: 'zz', targets: [t] }, /reference: no target has the id "zz"/],
      [{ markers: ['one'], targets: [t] }, /markers: expected \[START, STOP\] marker lines/],
      [
        { scenarios: { density: { instances: [0] } }, targets: [t] },
        /scenarios\.density\.instances\[0\]: expected a whole number ≥ 1/,
      ],
      [{ targets: [{ ...t, dirs: [3] }] }, /targets\[0\]\.dirs\[0\]: expected "HOST::GUEST", or/],
      [
        { targets: [{ ...t, colour: 'red' }] },
        /targets\[0\]\.colour: not a known field \(known: id,/,
      ],
      [{ order: 'random', targets: [t] }, /order: expected one of "interleaved", "sequential"/],
      [{ targets: [{ ...t, build: {} }] }, /targets\[0\]\.build\.context: missing/],
    ];
    for (const [json, pattern] of bad)
      assert.throws(
        () => parseProfileSpec(JSON.stringify(json), 'p.json'),
        (e: unknown) => e instanceof SpecError && pattern.test(e.message),
        `${JSON.stringify(json)} should fail with ${String(pattern)}`,
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

  it('takes an OCI runtime (path or engine name) and annotations for container targets only', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          {
            id: 'w',
            runtime: 'podman-crun-wasm',
            artifact: 'img:1',
            ociRuntime: 'bin/crun',
            annotations: { 'run.oci.handler': 'wasm', 'module.wasm.image/variant': 'compat' },
          },
          { id: 'y', runtime: 'containerd-runc', artifact: 'img:2', ociRuntime: 'youki' },
        ],
      }),
    );
    const spec = loadProfileSpec(file);
    assert.equal(
      spec.targets[0].ociRuntime,
      path.join(dir, 'bin', 'crun'),
      'a path is relative to the spec',
    );
    assert.deepEqual(spec.targets[0].annotations, {
      'run.oci.handler': 'wasm',
      'module.wasm.image/variant': 'compat',
    });
    assert.equal(spec.targets[1].ociRuntime, 'youki', "a bare name is the engine's");
    assert.equal(spec.targets[1].artifact, 'img:2', 'containerd image references are not paths');
    for (const [target, pattern] of [
      [{ annotations: { a: 1 } }, /targets\[0\]\.annotations\.a: expected a string, got 1/],
      [{ ociRuntime: '' }, /targets\[0\]\.ociRuntime: expected a non-empty string, got ""/],
    ] as const)
      assert.throws(
        () =>
          parseProfileSpec(
            JSON.stringify({ targets: [{ id: 'a', runtime: 'x', artifact: 'y', ...target }] }),
            'p.json',
          ),
        pattern,
      );
    const catalog = await detectRuntimes({ skipEngines: true });
    const onProcess = parseProfileSpec(
      JSON.stringify({
        targets: [{ id: 'n', runtime: 'process', artifact: helloNative, ociRuntime: 'runc' }],
      }),
      'p.json',
    );
    await assert.rejects(
      resolveSpecTargets(onProcess, catalog),
      /Target 'n': "ociRuntime" and "annotations" need a container runtime, not process/,
    );
  });

  it('the committed example specs parse', () => {
    for (const f of ['containers.profile.json']) loadProfileSpec(path.join(helloDir, f));
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
