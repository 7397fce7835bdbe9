import { randomUUID } from 'node:crypto';
import { isCancelled, errorMessage } from '../process/errors';
import type { RunSample } from '../measure/measured-run';
import { locateExecHelper } from '../measure/exec-helper';
import type { RunSpec, RuntimeAdapter } from '../runtimes/types';
import { describeEnvironment } from './environment';
import { splitPhases } from './phases';
import {
  PROFILE_SCHEMA_VERSION,
  type Comparison,
  type ProfileResult,
  type StoredSample,
  type TargetResult,
  type TargetSummary,
} from './result-schema';
import { ratioOfMedians, summarize } from './stats';
import path from 'node:path';
import { buildOciImage, parsePlatform } from '../oci/image';
import { TOOL_VERSION } from '../version';
import { runDensity, runMemoryTimeline, runStartStorm } from './scenarios';
import type { ScenarioSpec } from './spec';

export interface ProfileTarget {
  id: string;
  label: string;
  runtime: RuntimeAdapter;
  spec: RunSpec;
}

export interface ProfileOptions {
  runs: number;
  warmup: number;
  order?: 'interleaved' | 'sequential';
  timeoutMs?: number;
  /** [start marker, stop marker]: lines that split a run into startup / run / shutdown. */
  markers?: [string, string];
  /** Exit code a successful run has (default 0); other codes count as failed runs. */
  expectedExitCode?: number;
  /** Target id every other target is compared with (default: the first native target). */
  reference?: string;
  signal?: AbortSignal;
  /** Title kept in the result. */
  name?: string;
  /** What the profile was started from (a spec, module, Dockerfile or image), kept in the result. */
  source?: string;
  /** Scenarios beyond repeated cold starts (start storms, density, memory over time). */
  scenarios?: Partial<ScenarioSpec>;
  /** What the profiler is doing now, for progress displays. */
  onProgress?: (message: string) => void;
  onSample?: (event: {
    target: string;
    phase: 'warmup' | 'measure';
    index: number;
    total: number;
    sample: RunSample;
  }) => void;
  /** Called after every round with the result so far, so that a crash keeps what was measured. */
  onCheckpoint?: (partial: ProfileResult) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function store(sample: RunSample, index: number, expectedExitCode: number): StoredSample {
  const { stdout, stderr, ...figures } = sample;
  const stored: StoredSample = { ...figures, index, stdoutBytes: Buffer.byteLength(stdout) };
  if (!stored.error && sample.exitCode !== expectedExitCode) {
    stored.error =
      sample.exitCode === null
        ? `killed by ${sample.signal}`
        : `exited with code ${sample.exitCode} (expected ${expectedExitCode})`;
  }
  if (stored.error && stderr)
    stored.stderrTail = stderr.trimEnd().split('\n').slice(-10).join('\n');
  return stored;
}

/** The size of the FROM scratch image that would ship this file (Wasm: wasi/wasm; native: linux/amd64). */
function scratchImageSize(
  file: string,
  runs: 'wasm' | 'native',
): { compressed: number; uncompressed: number } | undefined {
  try {
    const guest = `/${path.basename(file)}`;
    const img = buildOciImage({
      files: [{ guest, host: file, mode: runs === 'wasm' ? 0o644 : 0o755 }],
      platform: parsePlatform(runs === 'wasm' ? 'wasi/wasm' : 'linux/amd64'),
      entrypoint: [guest],
      env: {},
      labels: {},
    });
    return { compressed: img.sizes.compressed, uncompressed: img.sizes.uncompressed };
  } catch {
    return undefined; // unreadable: the size column says so through the missing figure
  }
}

export function summarizeTarget(
  samples: StoredSample[],
  markers?: [string, string],
): TargetSummary {
  const ok = samples.filter((s) => !s.error);
  const summary: TargetSummary = {
    wallMs: summarize(ok.map((s) => s.wallMs)),
    firstOutputMs: summarize(ok.map((s) => s.firstOutputMs ?? NaN)),
    maxRssKb: summarize(ok.map((s) => s.maxRssKb)),
    failures: samples.length - ok.length,
  };
  const container = ok.filter((s) => s.containerPhases);
  if (container.length > 0) {
    summary.containerPhases = Object.fromEntries(
      (['create', 'start', 'run', 'remove'] as const).map((k) => [
        k,
        summarize(container.map((s) => s.containerPhases![k])),
      ]),
    );
  }
  if (markers) {
    const split = ok
      .map((s) => splitPhases({ ...s, stdout: '', stderr: '' }, markers[0], markers[1]))
      .filter((p) => p !== undefined);
    if (split.length > 0) {
      summary.phases = Object.fromEntries(
        ['startup', 'run', 'shutdown'].map((phase) => [
          phase,
          summarize(split.map((p) => p[phase])),
        ]),
      );
    }
  }
  return summary;
}

export function compareTargets(targets: TargetResult[], referenceId?: string): Comparison[] {
  const reference =
    targets.find((t) => t.id === referenceId) ?? targets.find((t) => t.runs === 'native');
  if (!reference) return [];
  const ok = (t: TargetResult) => t.samples.filter((s) => !s.error);
  return targets
    .filter((t) => t !== reference)
    .map((t) => ({
      target: t.id,
      reference: reference.id,
      wallMs: ratioOfMedians(
        ok(t).map((s) => s.wallMs),
        ok(reference).map((s) => s.wallMs),
      ),
      maxRssKb: ratioOfMedians(
        ok(t).map((s) => s.maxRssKb),
        ok(reference).map((s) => s.maxRssKb),
      ),
      size: t.sizeBytes / reference.sizeBytes,
    }));
}

/**
 * Runs every target `warmup` + `runs` times (interleaved A B A B … by default, so machine drift hits
 * all targets alike) and returns every raw sample with its statistics. Cancellation returns the
 * partial result with status 'cancelled'; failed runs are recorded per run, never thrown.
 */
export async function runProfile(
  targets: ProfileTarget[],
  options: ProfileOptions,
): Promise<ProfileResult> {
  if (targets.length === 0) throw new Error('Nothing to profile: no targets were given.');
  if (!(options.runs >= 1)) throw new Error(`runs must be at least 1 (got ${options.runs}).`);
  const coldStart = options.scenarios?.coldStart ?? true;
  const order = options.order ?? 'interleaved';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const expectedExitCode = options.expectedExitCode ?? 0;
  const markers = options.markers ? [...options.markers] : [];

  const versions: Record<string, string> = {};
  for (const t of targets) {
    if (versions[t.runtime.id] !== undefined) continue;
    const detection = await t.runtime.detect();
    if (!detection.available)
      throw new Error(
        `${t.runtime.displayName} is not available: ${detection.reason ?? 'unknown reason'}`,
      );
    versions[t.runtime.id] = detection.version ?? 'unknown';
  }
  const results: TargetResult[] = [];
  for (const t of targets) {
    let size;
    try {
      size = await t.runtime.artifactSize(t.spec);
    } catch (e) {
      throw new Error(`${t.label}: cannot read ${t.spec.artifact}: ${errorMessage(e)}`);
    }
    results.push({
      id: t.id,
      label: t.label,
      runtime: t.runtime.id,
      runs: t.runtime.runs,
      artifact: t.spec.artifact,
      args: t.spec.args ?? [],
      sizeBytes: size.bytes,
      sizeKind: size.what,
      image: size.what === 'file' ? scratchImageSize(t.spec.artifact, t.runtime.runs) : undefined,
      samples: [],
      warmupSamples: [],
      summary: summarizeTarget([]),
    });
  }
  const result: ProfileResult = {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    tool: { name: 'wasm-containers', version: TOOL_VERSION },
    id: randomUUID(),
    startedAt: new Date().toISOString(),
    status: 'running',
    settings: {
      name: options.name,
      runs: options.runs,
      warmup: options.warmup,
      order,
      timeoutMs,
      markers,
      coldStart,
      ...(options.source ? { source: options.source } : {}),
    },
    environment: describeEnvironment(versions, locateExecHelper() !== undefined),
    targets: results,
    comparisons: [],
    scenarios: { storms: [], density: [], timelines: [] },
  };
  const finish = (status: ProfileResult['status'], error?: string) => {
    for (const t of results) t.summary = summarizeTarget(t.samples, options.markers);
    result.comparisons = compareTargets(results, options.reference);
    result.status = status;
    result.finishedAt = new Date().toISOString();
    result.profilerPeakRssKb = process.resourceUsage().maxRSS;
    if (error) result.error = error;
    return result;
  };

  // the schedule: warmups first, then the measured runs, in the chosen order
  type Step = { target: number; phase: 'warmup' | 'measure'; index: number };
  const schedule: Step[] = [];
  const plan = (phase: Step['phase'], count: number) => {
    if (order === 'interleaved') {
      for (let i = 0; i < count; i++)
        targets.forEach((_, target) => schedule.push({ target, phase, index: i }));
    } else {
      targets.forEach((_, target) => {
        for (let i = 0; i < count; i++) schedule.push({ target, phase, index: i });
      });
    }
  };
  if (coldStart) {
    plan('warmup', options.warmup);
    plan('measure', options.runs);
  }

  try {
    if (schedule.length > 0)
      options.onProgress?.(
        `cold start: ${targets.length} targets × ${options.warmup} warmup + ${options.runs} runs`,
      );
    for (const [n, step] of schedule.entries()) {
      const target = targets[step.target];
      const sample = await target.runtime.measure(target.spec, {
        signal: options.signal,
        timeoutMs,
        markers,
      });
      const stored = store(sample, step.index, expectedExitCode);
      (step.phase === 'warmup'
        ? results[step.target].warmupSamples
        : results[step.target].samples
      ).push(stored);
      options.onSample?.({
        target: target.id,
        phase: step.phase,
        index: step.index,
        total: step.phase === 'warmup' ? options.warmup : options.runs,
        sample,
      });
      const endOfRound = step.target === targets.length - 1 || order === 'sequential';
      if (endOfRound || n === schedule.length - 1) {
        for (const t of results) t.summary = summarizeTarget(t.samples, options.markers);
        options.onCheckpoint?.(result);
      }
    }
    await runScenarios(targets, options, result, timeoutMs);
  } catch (e) {
    if (isCancelled(e)) return finish('cancelled');
    return finish('failed', errorMessage(e));
  }
  return finish('complete');
}

async function runScenarios(
  targets: ProfileTarget[],
  options: ProfileOptions,
  result: ProfileResult,
  timeoutMs: number,
): Promise<void> {
  const sc = options.scenarios ?? {};
  for (const count of sc.startStorm?.counts ?? []) {
    for (const target of targets) {
      options.onProgress?.(`start storm: ${target.label} × ${count}`);
      result.scenarios.storms.push(
        await runStartStorm(target, count, { signal: options.signal, timeoutMs }),
      );
      options.onCheckpoint?.(result);
    }
  }
  for (const instances of sc.density?.instances ?? []) {
    for (const target of targets) {
      options.onProgress?.(`density: ${instances} × ${target.label}`);
      const d = sc.density!;
      result.scenarios.density.push(
        await runDensity(target, instances, {
          args: d.args,
          readyMarker: d.readyMarker,
          settleMs: d.settleMs,
          timeoutMs: Math.max(timeoutMs, 30_000),
          signal: options.signal,
        }),
      );
      options.onCheckpoint?.(result);
    }
  }
  if (sc.memoryTimeline) {
    for (const target of targets) {
      options.onProgress?.(`memory over time: ${target.label}`);
      result.scenarios.timelines.push(
        await runMemoryTimeline(target, {
          ...sc.memoryTimeline,
          timeoutMs,
          signal: options.signal,
        }),
      );
      options.onCheckpoint?.(result);
    }
  }
}
