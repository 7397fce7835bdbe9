import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DockerfileError, readFinalStage } from '../../src/core/dockerfile/final-stage';
import { checkPlatform, layerTar, type ImageSpec } from '../../src/core/oci/image';
import { renderCsv } from '../../src/core/profile/report-csv';
import { renderMarkdownReport } from '../../src/core/profile/report-markdown';
import { renderTextReport } from '../../src/core/profile/report-text';
import { loadResult } from '../../src/core/profile/results-store';
import { inspectBytes } from '../../src/core/wasm/inspect';
import { coreModules } from '../../src/core/wasm/size-breakdown';
import { functionWat } from '../../src/core/wasm/wat';
import { analyzeDockerfile } from '../../src/server/dockerfile-analysis';
import { mutateBytes, mutateJson, mutateText } from './mutate';

/** A fuzz target: seeds, how to mutate one, and a check that throws on a crash or a broken promise. */
export interface FuzzTarget<T extends Buffer | string = Buffer | string> {
  name: string;
  seeds: T[];
  mutate(input: T, rand: () => number, donors: T[]): T;
  /** Throws on anything the tool must never do with any input. */
  check(input: T): void;
}

// WC_ROOT when bundled by bench/fuzz.mjs (no __dirname relation to the repository then)
const root = process.env.WC_ROOT ?? path.resolve(__dirname, '..', '..');
const hello = path.join(root, 'examples', 'hello');

/** The decoder, classifier, size attribution and WAT printer on a mutated module. */
export function wasmTarget(extraSeeds: Buffer[] = []): FuzzTarget<Buffer> {
  return {
    name: 'wasm decoder',
    seeds: [
      readFileSync(path.join(hello, 'hello.wasm')),
      readFileSync(path.join(hello, 'hello.component.wasm')),
      ...extraSeeds,
    ],
    mutate: (input, rand, donors) => mutateBytes(input, rand, donors),
    check(input) {
      const report = inspectBytes(input, { scanCode: true });
      for (const p of report.problems) {
        if (!Number.isInteger(p.offset) || p.offset < 0 || p.offset > input.length)
          throw new Error(
            `problem offset ${p.offset} outside the ${input.length} bytes: ${p.message}`,
          );
        if (!p.message) throw new Error('a problem without a message');
      }
      const b = report.binary;
      const modules = coreModules(b);
      for (const m of modules) {
        const fs = m.functions;
        for (const f of [fs[0], fs[fs.length >> 1], fs[fs.length - 1]]) {
          if (!f) continue;
          if (f.bodyOffset + f.bodySize > input.length)
            throw new Error(`function ${f.index} body past the end`);
          const wat = functionWat(input, m, f.index, undefined, { maxLines: 2000 });
          if (
            wat.error &&
            (wat.error.offset < f.bodyOffset || wat.error.offset > f.bodyOffset + f.bodySize)
          )
            throw new Error(`WAT error offset ${wat.error.offset} outside function ${f.index}`);
        }
      }
      if (report.size && report.size.bySection.some((s) => s.bytes < 0 || s.share > 1.0001))
        throw new Error('size attribution out of range');
    },
  };
}

/** A build context with the example's files, a subfolder and a symlink leaving the context. */
export function fuzzContext(): string {
  const dir = realpathSync(os.tmpdir());
  const ctx = path.join(dir, `wc-fuzz-${process.pid}-${Date.now()}`);
  mkdirSync(path.join(ctx, 'sub'), { recursive: true });
  for (const f of ['hello.wasm', 'hello', 'hello.c'])
    writeFileSync(path.join(ctx, f), readFileSync(path.join(hello, f)));
  writeFileSync(path.join(ctx, 'sub', 'data.txt'), 'data');
  writeFileSync(path.join(dir, 'wc-fuzz-outside-secret'), 'secret');
  symlinkSync(path.join(dir, 'wc-fuzz-outside-secret'), path.join(ctx, 'escape'));
  writeFileSync(
    path.join(ctx, 'Dockerfile.native'),
    readFileSync(path.join(hello, 'Dockerfile.native')),
  );
  return ctx;
}

const dockerfileSeeds = () => [
  readFileSync(path.join(hello, 'Dockerfile'), 'utf8'),
  readFileSync(path.join(hello, 'Dockerfile.native'), 'utf8'),
  'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /app/\nCOPY sub /data\nENV A=1 B="two words"\nWORKDIR /app\nLABEL x=y\nARG V=1\nENTRYPOINT ["/app/hello.wasm", "cat", "/data/data.txt"]\nCMD ["x"]\n',
  'FROM debian AS build\nRUN make\nFROM scratch\nCOPY --from=build /out /\nCOPY escape /e\nCOPY ../x /x\nEXPOSE 80\nUSER 1\nENTRYPOINT /hello.wasm\n',
];

/** The language server's analysis of a mutated Dockerfile in a real build context. */
export function dockerfileTarget(context = fuzzContext()): FuzzTarget<string> {
  const file = path.join(context, 'Dockerfile');
  return {
    name: 'Dockerfile analysis',
    seeds: dockerfileSeeds(),
    mutate: (input, rand) => mutateText(input, rand),
    check(text) {
      const lines = text.split(/\r?\n|\r/).length;
      for (const f of analyzeDockerfile(text, file)) {
        if (f.line < 0 || f.line > lines || !f.message)
          throw new Error(`finding outside the document: ${JSON.stringify(f)}`);
      }
    },
  };
}

/** The daemonless builder's reading of a mutated Dockerfile: an image of files inside the context, or an error with the line. */
export function contextTarget(context = fuzzContext()): FuzzTarget<string> {
  const file = path.join(context, 'Dockerfile');
  const inside = (p: string) => p === context || p.startsWith(context + path.sep);
  return {
    name: 'daemonless build context',
    seeds: dockerfileSeeds(),
    mutate: (input, rand) => mutateText(input, rand),
    check(text) {
      writeFileSync(file, text);
      let stage;
      try {
        stage = readFinalStage(file, context);
      } catch (e) {
        if (e instanceof DockerfileError && e.message.startsWith(file)) return;
        throw e;
      }
      for (const f of stage.files)
        if (!inside(realpathSync(f.host)))
          throw new Error(`${f.host} is outside the build context`);
      if (stage.files.reduce((s, f) => s + f.host.length, 0) < 1e6)
        buildWithin({
          files: stage.files,
          platform: { os: 'wasi', architecture: 'wasm' },
          entrypoint: stage.entrypoint?.args,
          cmd: stage.cmd?.args,
          env: stage.env,
          workdir: stage.workdir,
          labels: stage.labels,
        });
    },
  };
}

/**
 * What building does with the input's structure (the platform check, the layer's tar; compressing
 * and hashing it depend on none), accepting the builder's refusal of a platform that contradicts
 * the program (a precise error).
 */
function buildWithin(spec: ImageSpec): void {
  try {
    checkPlatform(spec);
  } catch (e) {
    if (e instanceof Error && /^platform \S+: /.test(e.message)) return;
    throw e;
  }
  layerTar(spec.files, new Map(spec.files.map((f) => [f.host, readFileSync(f.host)])));
}

/** The results loader and every report renderer on a mutated result file. */
export function resultsTarget(seed: string, dir = fuzzContext()): FuzzTarget<string> {
  const file = path.join(dir, 'result.json');
  return {
    name: 'results loader',
    seeds: [seed],
    mutate: (input, rand) => mutateJson(input, rand),
    check(text) {
      writeFileSync(file, text);
      let result;
      try {
        result = loadResult(file);
      } catch (e) {
        if ((e as Error).message.startsWith(file)) return;
        throw e;
      }
      renderTextReport(result, 'fuzz');
      renderMarkdownReport(result, 'fuzz');
      renderCsv(result);
    },
  };
}

export interface FuzzRun {
  target: string;
  inputs: number;
  crashes: Array<{ input: Buffer | string; error: string }>;
  slowestMs: number;
  totalMs: number;
}

/** Mutates the seeds `iterations` times (each mutant becomes a donor and may be mutated again). */
export function runFuzz<T extends Buffer | string>(
  target: FuzzTarget<T>,
  rand: () => number,
  iterations: number,
  slowMs = 2000,
): FuzzRun {
  const pool: T[] = [...target.seeds];
  const run: FuzzRun = { target: target.name, inputs: 0, crashes: [], slowestMs: 0, totalMs: 0 };
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const parent = pool[Math.floor(rand() * pool.length)];
    const input = target.mutate(parent, rand, pool);
    const s = performance.now();
    try {
      target.check(input);
    } catch (e) {
      run.crashes.push({ input, error: (e as Error).stack ?? String(e) });
    }
    const ms = performance.now() - s;
    run.slowestMs = Math.max(run.slowestMs, ms);
    if (ms > slowMs) run.crashes.push({ input, error: `took ${ms.toFixed(0)} ms (a hang)` });
    run.inputs++;
    // keep a bounded pool of mutants so that edits accumulate across generations
    if (pool.length < 64) pool.push(input);
    else if (rand() < 0.1)
      pool[target.seeds.length + Math.floor(rand() * (64 - target.seeds.length))] = input;
  }
  run.totalMs = performance.now() - t0;
  return run;
}
