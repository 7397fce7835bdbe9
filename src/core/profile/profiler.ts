import { statSync } from 'node:fs';
import { isCancelled, errorMessage } from '../process/errors';
import type { RunSample } from '../measure/measured-run';
import { locateExecHelper } from '../measure/exec-helper';
import type { RunSpec, RuntimeAdapter } from '../runtimes/types';
import { isProcessRuntime } from '../runtimes/types';
import { runBatch, type BatchCommand } from '../measure/batch';
import { describeEnvironment } from './environment';
import { randomResultId } from './result-id';
import {
  PROFILE_SCHEMA_VERSION,
  type ProfileResult,
  type StoredSample,
  type TargetResult,
} from './result-schema';
import { compareTargets, summarizeTarget } from './summary';
import { cachedFileFact } from '../process/version-cache';
import { TOOL_VERSION } from '../version';
import { runDensity, runMemoryTimeline, runStartStorm } from './scenarios';
import type { ScenarioSpec } from './spec';

export { compareTargets, summarizeTarget } from './summary';

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
  /**
   * Where each target's image-size estimate (tar, gzip and hashes of the artifact) is computed:
   * 'worker' (default), a worker thread, so that an editor's event loop never waits on a large
   * module; 'inline', this thread, for a front end with no UI to keep responsive (the CLI), which
   * then saves starting a worker (~140 ms of a 300 ms profile, --cpu-prof). Same figures either way.
   */
  imageSizeThread?: 'worker' | 'inline';
  /**
   * Whether each checkpoint's partial result carries up-to-date statistics (default true): a live
   * display (the extension's panel) shows them; a journal of raw samples (the CLI's) does not need
   * them, and summarising every target at 20 checkpoints was 40-50 ms of the ~120 ms of main-thread
   * work of a 300-run CLI profile after its start (--cpu-prof). The final result always has them.
   */
  liveStatistics?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function store(sample: RunSample, index: number, expectedExitCode: number): StoredSample {
  const { stdout, stderr, ...figures } = sample;
  const stored: StoredSample = {
    ...figures,
    index,
    stdoutBytes: sample.stdoutBytes ?? Buffer.byteLength(stdout),
  };
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

/** One sample of the cold-start schedule. */
interface Step {
  target: number;
  phase: 'warmup' | 'measure';
  index: number;
}

/** Warmups first, then the measured runs; interleaved (A B A B …) or sequential (A A … B B …). */
export function planSchedule(
  targets: number,
  warmup: number,
  runs: number,
  order: 'interleaved' | 'sequential',
): Step[] {
  const schedule: Step[] = [];
  const plan = (phase: Step['phase'], count: number) => {
    if (order === 'interleaved') {
      for (let index = 0; index < count; index++)
        for (let target = 0; target < targets; target++) schedule.push({ target, phase, index });
    } else {
      for (let target = 0; target < targets; target++)
        for (let index = 0; index < count; index++) schedule.push({ target, phase, index });
    }
  };
  plan('warmup', warmup);
  plan('measure', runs);
  return schedule;
}

/**
 * Consecutive steps the wc-exec helper can run in one batch (process runtimes, when it is built),
 * and the steps in between that go through their runtime's measure() (containers, or everything
 * in the fallback without a C compiler), in schedule order.
 */
export function splitIntoBatches(
  schedule: Step[],
  batchable: (target: number) => boolean,
): Array<{ batch: boolean; steps: Step[] }> {
  const parts: Array<{ batch: boolean; steps: Step[] }> = [];
  for (const step of schedule) {
    const batch = batchable(step.target);
    const last = parts.at(-1);
    if (last && last.batch === batch) last.steps.push(step);
    else parts.push({ batch, steps: [step] });
  }
  return parts;
}

/** The helper's command for a process runtime's target, or undefined when it must go through measure(). */
function batchCommand(target: ProfileTarget, timeoutMs: number): BatchCommand | undefined {
  if (!isProcessRuntime(target.runtime)) return undefined;
  try {
    const cmd = target.runtime.commandLine(target.spec);
    return { ...cmd, timeoutMs, stdin: target.spec.stdin };
  } catch {
    return undefined; // measure() records why it cannot run, per run
  }
}

/** Runtimes must be there before anything is measured: their versions go into the result. */
async function detectRuntimes(targets: ProfileTarget[]): Promise<Record<string, string>> {
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
  return versions;
}

/** When the running code was built (its file's mtime): a rebuilt tool may lay out images otherwise. */
function codeBuiltAt(): string {
  try {
    return String(statSync(__filename).mtimeMs);
  } catch {
    return '';
  }
}

/**
 * The size of the FROM scratch image that would ship the target's file, kept per version of the
 * file (real path, size, mtime) and of the tool's build: profiling the same binary again skips
 * its tar, gzip and hashes (40 ms of a CLI profile of the 711 KiB example, --cpu-prof; more for
 * bigger files). Cancelled or failed, the size is missing and the profile goes on to see the
 * cancel itself.
 */
function imageSize(
  t: ProfileTarget,
  options: Pick<ProfileOptions, 'signal' | 'imageSizeThread'>,
): Promise<TargetResult['image']> {
  // the image builder (tar, gzip, the Wasm decoder) is loaded on a cache miss only: in the CLI's
  // bundle its modules' start (zlib, worker_threads, the opcode tables) cost every profile ~5 ms
  const estimate = () =>
    import('../oci/local-images')
      .then(({ scratchImageSize }) =>
        scratchImageSize(t.spec.artifact, t.runtime.runs, {
          worker: (options.imageSizeThread ?? 'worker') === 'worker',
          signal: options.signal,
        }),
      )
      .catch(() => undefined);
  return cachedFileFact(
    t.spec.artifact,
    ['scratch-image-size', t.runtime.runs, TOOL_VERSION, codeBuiltAt()],
    estimate,
  ).catch(() => undefined);
}

/** Each target's result before any run: what it runs and how big that is. */
async function describeTarget(
  t: ProfileTarget,
  options: Pick<ProfileOptions, 'signal' | 'imageSizeThread'>,
): Promise<TargetResult> {
  let size;
  try {
    size = await t.runtime.artifactSize(t.spec);
  } catch (e) {
    throw new Error(`${t.label}: cannot read ${t.spec.artifact}: ${errorMessage(e)}`);
  }
  return {
    id: t.id,
    label: t.label,
    runtime: t.runtime.id,
    runs: t.runtime.runs,
    artifact: t.spec.artifact,
    args: t.spec.args ?? [],
    sizeBytes: size.bytes,
    sizeKind: size.what,
    image: size.what === 'file' ? await imageSize(t, options) : undefined,
    samples: [],
    warmupSamples: [],
    summary: summarizeTarget([]),
  };
}

/**
 * Runs every target `warmup` + `runs` times (interleaved A B A B … by default, so machine drift hits
 * all targets alike) and returns every raw sample with its statistics. Cancellation returns the
 * partial result with status 'cancelled'; failed runs are recorded per run, never thrown.
 *
 * The stages: detect and describe the targets → prepare (whatever a runtime does once, outside the
 * measured runs) → cold-start batches → scenarios → statistics.
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
  const markers = options.markers ? [...options.markers] : [];

  const versions = await detectRuntimes(targets);

  const results = await Promise.all(targets.map((t) => describeTarget(t, options)));
  const helper = locateExecHelper();
  const result: ProfileResult = {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    tool: { name: 'wasm-containers', version: TOOL_VERSION },
    id: randomResultId(),
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
    environment: describeEnvironment(versions, helper !== undefined),
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

  try {
    const prepared = await prepareTargets(targets, options, results);
    if (coldStart) await runColdStarts(prepared, options, result, { order, timeoutMs, helper });
    await runScenarios(prepared, options, result, timeoutMs);
  } catch (e) {
    if (isCancelled(e)) return finish('cancelled');
    return finish('failed', errorMessage(e));
  }
  return finish('complete');
}

/**
 * What a runtime does once per target before anything is measured (an ahead-of-time compile, for
 * example): the measured runs use the spec it returns, and the result reports the compile apart.
 */
async function prepareTargets(
  targets: ProfileTarget[],
  options: ProfileOptions,
  results: TargetResult[],
): Promise<ProfileTarget[]> {
  const prepared: ProfileTarget[] = [];
  for (const [i, t] of targets.entries()) {
    if (!t.runtime.prepare) {
      prepared.push(t);
      continue;
    }
    options.onProgress?.(`preparing ${t.label}`);
    const spec = await t.runtime.prepare(t.spec, { signal: options.signal });
    if (spec.precompiled) {
      const { path: artifact, module: _module, ...rest } = spec.precompiled;
      results[i].aot = { artifact, ...rest };
    }
    prepared.push({ ...t, spec });
  }
  return prepared;
}

/**
 * The cold-start schedule: process runtimes' samples run in batches inside the wc-exec helper
 * (one helper per batch, one record per sample, Node idle during every measured start), other
 * runtimes' samples one by one through measure(). Checkpoints after every round (interleaved) or
 * every sample (sequential).
 */
async function runColdStarts(
  targets: ProfileTarget[],
  options: ProfileOptions,
  result: ProfileResult,
  how: { order: 'interleaved' | 'sequential'; timeoutMs: number; helper: string | undefined },
): Promise<void> {
  const expectedExitCode = options.expectedExitCode ?? 0;
  const markers = result.settings.markers;
  const schedule = planSchedule(targets.length, options.warmup, options.runs, how.order);
  options.onProgress?.(
    `cold start: ${targets.length} targets × ${options.warmup} warmup + ${options.runs} runs`,
  );
  let done = 0;
  // A checkpoint summarises every target (a sort per figure), stores the partial result and, in
  // the editor, posts all of it to the panel, which draws every sample: one per round made a long
  // profile O(N²) (0.4 ms a sample at 300 runs in the CLI; in the editor a 100 000-run profile
  // crawled at 3 samples a second by its 600th and its Cancel waited behind the updates). So at
  // most 20 per target, at the end of every `every`-th round (a sequential profile's round is one
  // sample of one target), and at the end.
  const perTarget = options.warmup + options.runs;
  const every = Math.max(1, Math.ceil(perTarget / 20));
  const record = (step: Step, sample: RunSample) => {
    const t = result.targets[step.target];
    const stored = store(sample, step.index, expectedExitCode);
    (step.phase === 'warmup' ? t.warmupSamples : t.samples).push(stored);
    options.onSample?.({
      target: t.id,
      phase: step.phase,
      index: step.index,
      total: step.phase === 'warmup' ? options.warmup : options.runs,
      sample,
    });
    done++;
    const taken = t.samples.length + t.warmupSamples.length;
    const endOfRound = how.order === 'sequential' || step.target === targets.length - 1;
    const checkpoint = endOfRound && (taken % every === 0 || taken === perTarget);
    if (checkpoint || done === schedule.length) {
      if (options.liveStatistics ?? true)
        for (const r of result.targets) r.summary = summarizeTarget(r.samples, options.markers);
      options.onCheckpoint?.(result);
    }
  };

  const commands = targets.map((t) => (how.helper ? batchCommand(t, how.timeoutMs) : undefined));
  for (const part of splitIntoBatches(schedule, (i) => commands[i] !== undefined)) {
    if (part.batch) {
      await runBatch(
        how.helper!,
        commands.map((c) => c ?? { file: '', args: [] }),
        part.steps.map((s) => s.target),
        {
          markers,
          signal: options.signal,
          onSample: (k, sample) => record(part.steps[k], sample),
        },
      );
      continue;
    }
    for (const step of part.steps) {
      const target = targets[step.target];
      const sample = await target.runtime.measure(target.spec, {
        signal: options.signal,
        timeoutMs: how.timeoutMs,
        markers,
      });
      record(step, sample);
    }
  }
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
