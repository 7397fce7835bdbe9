import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { findExecutable } from '../../src/core/runtimes/find-executable';
import { inspectFile } from '../../src/core/wasm/inspect';
import { runtimeVerdicts } from '../../src/core/wasm/runtime-support';
import { tempDir } from '../unit/helpers';
import { watModule } from '../unit/wasm-fixtures';

/**
 * The verdict tables against the real runtime binaries CI builds: one small command module per
 * proposal, each run for real. "yes" must run, "no" must be refused, and a verdict that needs
 * options must be refused without them and run with them. A runtime that is not installed is a
 * skip (REQUIRE_RUNTIMES=1 makes wasmtime, wazero and wasmer required).
 */
const PROBES: Record<string, string> = {
  simd: '(module (func (export "_start") (drop (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4)))))',
  'tail-call': '(module (func $f) (func (export "_start") (return_call $f)))',
  'extended-const':
    '(module (global i32 (i32.add (i32.const 1) (i32.const 2))) (func (export "_start")))',
  'multi-memory':
    '(module (memory 1) (memory $b 1) (func (export "_start") (drop (i32.load $b (i32.const 0)))))',
  memory64: '(module (memory i64 1) (func (export "_start") (drop (i32.load (i64.const 0)))))',
  threads:
    '(module (memory 1 1 shared) (func (export "_start") (drop (i32.atomic.load (i32.const 0)))))',
  'legacy-exceptions':
    '(module (tag $e) (func (export "_start") (try (do (throw $e)) (catch $e))))',
  'relaxed-simd':
    '(module (func (export "_start") (drop (f32x4.relaxed_min (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)))))',
};

const section = (id: number, body: number[]) => [id, body.length, ...body];
const HEADER = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
const EXPORT_START = section(7, [1, 6, ...Buffer.from('_start'), 0, 0]);
/** Proposals wabt 1.0.32 cannot write: encoded by hand. */
const HAND_MADE: Record<string, number[]> = {
  // try_table with no catch clause
  exnref: [
    ...HEADER,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [1, 0]),
    ...EXPORT_START,
    ...section(10, [1, 6, 0, 0x1f, 0x40, 0, 0x0b, 0x0b]),
  ],
  // a struct type beside the function's type
  gc: [
    ...HEADER,
    ...section(1, [2, 0x5f, 0, 0x60, 0, 0]),
    ...section(3, [1, 1]),
    ...EXPORT_START,
    ...section(10, [1, 2, 0, 0x0b]),
  ],
};

interface Cli {
  id: string;
  exe?: string;
  version(out: string): string | undefined;
  versionArgs: string[];
  run(file: string, flags: string[]): string[];
}
const CLIS: Cli[] = [
  {
    id: 'wasmtime',
    versionArgs: ['--version'],
    version: (o) => /wasmtime (\d+\.\d+\.\d+)/.exec(o)?.[1],
    run: (f, flags) => ['run', ...flags, f],
  },
  {
    id: 'wazero',
    versionArgs: ['version'],
    version: (o) => /v?(\d+\.\d+\.\d+)/.exec(o)?.[1],
    run: (f, flags) => ['run', ...flags, f],
  },
  {
    id: 'wasmer',
    versionArgs: ['--version'],
    version: (o) => /wasmer (\d+\.\d+\.\d+)/.exec(o)?.[1],
    run: (f, flags) => ['run', ...flags, f],
  },
  {
    id: 'wasmedge',
    versionArgs: ['--version'],
    version: (o) => /version (\d+\.\d+\.\d+)/.exec(o)?.[1],
    run: (f, flags) => [...flags, f],
  },
  {
    id: 'iwasm',
    versionArgs: ['--version'],
    version: (o) => /iwasm (\d+\.\d+\.\d+)/.exec(o)?.[1],
    run: (f, flags) => [...flags, f],
  },
];
const REQUIRED = new Set(['wasmtime', 'wazero', 'wasmer']);

describe('runtime verdicts against the real binaries', async () => {
  const modules: Record<string, string> = {};
  const dir = tempDir('wc-probes-');
  for (const [feature, wat] of Object.entries(PROBES))
    modules[feature] = await watModule(`probe-${feature}`, wat, ['--enable-all']);
  for (const [feature, bytes] of Object.entries(HAND_MADE)) {
    modules[feature] = path.join(dir, `${feature}.wasm`);
    writeFileSync(modules[feature], Buffer.from(bytes));
  }

  it('each probe uses exactly the proposal it stands for (the inspector says so)', () => {
    for (const [feature, file] of Object.entries(modules)) {
      const r = inspectFile(file, { scanCode: true });
      const used = new Set([...r.classification!.features, ...(r.codeFeatures ?? [])]);
      assert.ok(used.has(feature), `${feature}: ${[...used].join(', ')}`);
    }
  });

  for (const cli of CLIS) {
    const exe = findExecutable(cli.id);
    const skip = exe
      ? undefined
      : process.env.REQUIRE_RUNTIMES === '1' && REQUIRED.has(cli.id)
        ? undefined
        : `${cli.id} is not installed`;
    describe(cli.id, () => {
      for (const feature of [...Object.keys(PROBES), ...Object.keys(HAND_MADE)]) {
        it(`${feature}: the verdict matches what ${cli.id} does`, { skip }, async (t) => {
          assert.ok(exe, `REQUIRE_RUNTIMES=1 but ${cli.id} is not on PATH`);
          const v = await runProcess(exe, cli.versionArgs, { timeoutMs: 30_000 });
          const version = cli.version(v.stdout + v.stderr);
          assert.ok(version, `${cli.id} ${cli.versionArgs.join(' ')}: ${v.stdout}`);
          const [verdict] = runtimeVerdicts(
            { kind: 'core-module', abis: [], features: [feature] },
            { versions: { [cli.id]: version } },
          ).filter((x) => x.runtime === cli.id);
          const run = async (flags: string[]) =>
            (await runProcess(exe, cli.run(modules[feature], flags), { timeoutMs: 120_000 }))
              .exitCode;
          const why = `${cli.id} ${version}, ${feature}: ${verdict.verdict} ${verdict.reasons.join('; ')}`;
          if (verdict.verdict === 'yes') assert.equal(await run([]), 0, why);
          else if (verdict.verdict === 'no') assert.notEqual(await run([]), 0, why);
          else if (verdict.flags) {
            assert.notEqual(await run([]), 0, `${why}: it ran without the options`);
            assert.equal(await run(verdict.flags), 0, `${why}: it did not run with them`);
          } else t.skip(`the table does not know: ${why}`);
        });
      }
    });
  }
});
