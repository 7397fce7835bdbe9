// Profile results built from given figures (seeded spread around a median), for report and panel
// tests that need exact shapes — 1 to 8 targets, containers only, failures — which a real run on
// this machine cannot produce on demand. Summaries and comparisons come from the profiler's own code.
import { compareTargets, summarizeTarget } from '../../src/core/profile/profiler';
import type {
  ProfileResult,
  StoredSample,
  TargetResult,
} from '../../src/core/profile/result-schema';
import { mulberry32 } from '../../src/core/profile/stats';

export interface TargetShape {
  id: string;
  label?: string;
  runs: 'wasm' | 'native';
  runtime: string;
  sizeBytes: number;
  image?: { compressed: number; uncompressed: number };
  /** Container targets: the size is the image's. */
  container?: boolean;
  wallMs: number;
  rssKb: number;
  /** Relative spread of the samples (default 5 %). */
  spread?: number;
  failures?: number;
  /** wallMs values put in place of samples from the middle of the run on (outliers). */
  outliers?: number[];
  /** The first measured run's wallMs (a slow first run). */
  firstRun?: number;
}

export function syntheticResult(
  shapes: TargetShape[],
  options: { runs?: number; seed?: number; reference?: string; name?: string } = {},
): ProfileResult {
  const runs = options.runs ?? 20;
  const random = mulberry32(options.seed ?? 7);
  const jitter = (v: number, spread: number) => v * (1 + (random() - 0.5) * 2 * spread);
  const targets: TargetResult[] = shapes.map((s) => {
    const samples: StoredSample[] = Array.from({ length: runs }, (_, index) => ({
      index,
      exitCode: 0,
      signal: null,
      wallMs: jitter(s.wallMs, s.spread ?? 0.05),
      maxRssKb: Math.round(jitter(s.rssKb, (s.spread ?? 0.05) / 5)),
      markers: {},
      exact: true,
      memorySource: s.container ? 'cgroup-polled' : 'wait4',
      stdoutBytes: 28,
    }));
    (s.outliers ?? []).forEach((v, i) => (samples[Math.floor(runs / 2) + i].wallMs = v));
    if (s.firstRun !== undefined) samples[0].wallMs = s.firstRun;
    // containers: the docker run --rm equivalent split into its API steps
    if (s.container)
      for (const x of samples)
        x.containerPhases = {
          create: x.wallMs * 0.3,
          start: x.wallMs * 0.35,
          run: x.wallMs * 0.2,
          remove: x.wallMs * 0.15,
        };
    for (let i = 0; i < (s.failures ?? 0); i++) {
      samples[runs - 1 - i].error = 'exited with code 1 (expected 0)';
      samples[runs - 1 - i].exitCode = 1;
    }
    return {
      id: s.id,
      label: s.label ?? `${s.runs} · ${s.runtime}`,
      runtime: s.runtime,
      runs: s.runs,
      artifact: s.container ? `wasm-containers/${s.id}:latest` : `/work/${s.id}`,
      args: [],
      sizeBytes: s.sizeBytes,
      sizeKind: s.container ? 'image' : 'file',
      image: s.image,
      samples,
      warmupSamples: [],
      summary: summarizeTarget(samples),
    };
  });
  return {
    schemaVersion: 1,
    tool: { name: 'wasm-containers', version: '0.0.0-test' },
    id: `synthetic-${shapes.length}`,
    startedAt: '2025-01-01T12:00:00.000Z',
    finishedAt: '2025-01-01T12:01:00.000Z',
    status: 'complete',
    settings: {
      name: options.name ?? `${shapes.length} targets`,
      runs,
      warmup: 1,
      order: 'interleaved',
      timeoutMs: 60_000,
      markers: [],
      coldStart: true,
    },
    environment: {
      hostname: 'test',
      platform: 'linux',
      arch: 'x64',
      kernel: '6.1.0',
      cpuModel: 'Test CPU',
      cpuCount: 2,
      totalMemoryBytes: 4 * 2 ** 30,
      node: '20.0.0',
      runtimes: {},
      measurement: 'wait4',
    },
    targets,
    comparisons: compareTargets(targets, options.reference),
    scenarios: { storms: [], density: [], timelines: [] },
  };
}

const KiB = 1024;
/** Figures of the size and order of what this machine measured for examples/hello. */
export const HELLO_SHAPES: TargetShape[] = [
  {
    id: 'wasm-node-wasi',
    runs: 'wasm',
    runtime: 'node-wasi',
    sizeBytes: 31.7 * KiB,
    image: { compressed: 14 * KiB, uncompressed: 33.5 * KiB },
    wallMs: 120,
    rssKb: 44_000,
    spread: 0.15,
  },
  {
    id: 'native-process',
    runs: 'native',
    runtime: 'process',
    sizeBytes: 711 * KiB,
    image: { compressed: 319 * KiB, uncompressed: 713 * KiB },
    wallMs: 1.1,
    rssKb: 650,
    spread: 0.3,
  },
  {
    id: 'wasm-wasmtime',
    runs: 'wasm',
    runtime: 'wasmtime',
    sizeBytes: 31.7 * KiB,
    image: { compressed: 14 * KiB, uncompressed: 33.5 * KiB },
    wallMs: 9.5,
    rssKb: 14_500,
    spread: 0.1,
  },
  {
    id: 'wasm-wazero',
    runs: 'wasm',
    runtime: 'wazero',
    sizeBytes: 31.7 * KiB,
    image: { compressed: 14 * KiB, uncompressed: 33.5 * KiB },
    wallMs: 6.2,
    rssKb: 11_000,
    spread: 0.1,
  },
  {
    id: 'native-docker-runc',
    runs: 'native',
    runtime: 'docker-runc',
    container: true,
    sizeBytes: 713 * KiB,
    wallMs: 260,
    rssKb: 900,
    spread: 0.1,
  },
  {
    id: 'native-docker-crun',
    runs: 'native',
    runtime: 'docker-crun',
    container: true,
    sizeBytes: 713 * KiB,
    wallMs: 210,
    rssKb: 850,
    spread: 0.1,
  },
  {
    id: 'native-docker-runsc',
    runs: 'native',
    runtime: 'docker-runsc',
    container: true,
    sizeBytes: 713 * KiB,
    wallMs: 640,
    rssKb: 21_000,
    spread: 0.1,
  },
  {
    id: 'wasm-wasmtime-aot',
    runs: 'wasm',
    runtime: 'wasmtime-aot',
    sizeBytes: 31.7 * KiB,
    image: { compressed: 14 * KiB, uncompressed: 33.5 * KiB },
    wallMs: 4.9,
    rssKb: 9_800,
    spread: 0.1,
  },
];
