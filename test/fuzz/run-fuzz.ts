// The fuzz campaign bench/fuzz.mjs runs (bundled): every target, N inputs each, from a seed.
// Crashers are written to test/fixtures/fuzz/<target>/ so that the unit tests replay them forever.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import { prng } from './mutate';
import { runDifferential, type WabtLike } from './differential';
import { decodeWasm } from '../../src/core/wasm/decode';
import type { CoreModuleInfo } from '../../src/core/wasm/model';
import { v8Features } from '../../src/core/wasm/v8-features';
import {
  contextTarget,
  dockerfileTarget,
  resultsTarget,
  runFuzz,
  wasmTarget,
  type FuzzTarget,
} from './targets';

const [root, iterationsText = '100000', seedText = '1', ...extraSeeds] = process.argv.slice(2);
const iterations = Number(iterationsText);
const seed = Number(seedText);

void (async () => {
  const result = await runProfile(
    nodeWasiVsNativeTargets(discoverPair(path.join(root, 'examples', 'hello'))),
    { runs: 2, warmup: 0 },
  );
  const targets: FuzzTarget[] = [
    wasmTarget(extraSeeds.map((f) => readFileSync(f))),
    dockerfileTarget(),
    contextTarget(),
    resultsTarget(JSON.stringify(result, null, 2)),
  ];
  const rows: string[][] = [
    ['target', 'inputs', 'crashes', 'hangs (> 2 s)', 'slowest input', 'inputs/s'],
  ];
  let crashes = 0;
  for (const t of targets) {
    const run = runFuzz(t, prng(seed), iterations);
    const hangs = run.crashes.filter((c) => c.error.includes('(a hang)')).length;
    rows.push([
      t.name,
      String(run.inputs),
      String(run.crashes.length - hangs),
      String(hangs),
      `${run.slowestMs.toFixed(1)} ms`,
      (run.inputs / (run.totalMs / 1000)).toFixed(0),
    ]);
    const dir = path.join(root, 'test', 'fixtures', 'fuzz', t.name.replace(/\W+/g, '-'));
    for (const c of run.crashes) {
      mkdirSync(dir, { recursive: true });
      const name = createHash('sha256').update(c.input).digest('hex').slice(0, 16);
      writeFileSync(
        path.join(dir, `crash-${name}${typeof c.input === 'string' ? '.txt' : '.bin'}`),
        c.input,
      );
      writeFileSync(path.join(dir, `crash-${name}.error.txt`), c.error);
    }
    crashes += run.crashes.length;
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(
    `fuzz campaign: seed ${seed}, ${iterations} inputs per target, node ${process.version}`,
  );
  for (const r of rows)
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '),
    );
  // differential validation: the same number of mutants judged by this validator, V8 and wabt
  const bases = [path.join(root, 'examples', 'hello', 'hello.wasm'), ...extraSeeds].map((f) => {
    const bytes = readFileSync(f);
    const m = decodeWasm(bytes) as CoreModuleInfo;
    const code = m.sections.find((x) => x.name === 'code');
    return {
      name: path.basename(f),
      bytes,
      ...(code ? { code: { start: code.payloadOffset, end: code.payloadOffset + code.size } } : {}),
    };
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wabt = await (require('wabt') as () => Promise<WabtLike>)();
  const t0 = performance.now();
  const d = runDifferential({ bases, mutants: iterations, seed, features: v8Features(), wabt });
  const { disagreements, ...figures } = d;
  console.log(
    `\ndifferential validation (${((performance.now() - t0) / 1000).toFixed(0)} s): ${JSON.stringify(figures)}`,
  );
  for (const x of disagreements)
    console.log(
      `  #${x.index} of ${x.base}: V8 ${x.v8}, ours ${x.ours}, wabt ${x.wabt}: ${x.message} at ${x.offset}`,
    );
  if (d.oursDisagreeWithV8) crashes += d.oursDisagreeWithV8;
  if (crashes)
    console.log(
      `\n${crashes} crashers written under test/fixtures/fuzz/: the unit tests replay them.`,
    );
  process.exit(crashes ? 1 : 0);
})();
