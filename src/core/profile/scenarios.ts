import { setMaxListeners } from 'node:events';
import { cgroupCurrentFiles, readFirstNumber } from '../measure/cgroup-memory';
import { readTreePssKb, readTreeRssKb } from '../measure/peak-rss-poller';
import { processTable } from '../process/kill-tree';
import { CancelledError, errorMessage, isCancelled } from '../process/errors';
import { formatMs } from '../format';
import { isProcessRuntime } from '../runtimes/types';
import type { ProfileTarget } from './profiler';

export interface StormResult {
  target: string;
  count: number;
  /** Elapsed from the first start to the last exit, including the profiler's own gaps. */
  totalMs: number;
  /** Sum of the runs' own wall times (exact). */
  sumWallMs: number;
  perStartMs: number;
  failures: number;
}

/** `count` sequential starts, as in published `docker run` storms (1 … 1500). */
export async function runStartStorm(
  target: ProfileTarget,
  count: number,
  options: { signal?: AbortSignal; timeoutMs?: number; onRun?: (done: number) => void } = {},
): Promise<StormResult> {
  let sumWallMs = 0;
  let failures = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const sample = await target.runtime.measure(target.spec, {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    if (sample.error || sample.exitCode !== 0) failures++;
    else sumWallMs += sample.wallMs;
    options.onRun?.(i + 1);
  }
  const totalMs = performance.now() - t0;
  return { target: target.id, count, totalMs, sumWallMs, perStartMs: totalMs / count, failures };
}

export interface DensityResult {
  target: string;
  instances: number;
  /** Instances that printed the ready marker. */
  ready: number;
  /** Instances still alive when memory was read: the per-instance figures divide by this. */
  measured: number;
  /** From the first launch until every instance was ready. */
  upMs: number;
  totalRssKb: number;
  perInstanceRssKb: number;
  /** Process runtimes: proportional set size (shared pages split among sharers). */
  totalPssKb?: number;
  perInstancePssKb?: number;
  /** Container runtimes: the containers' cgroup memory. */
  totalCgroupKb?: number;
  perInstanceCgroupKb?: number;
  failures: number;
  errors: string[];
}

/**
 * Brings up N instances that stay alive (each prints a ready marker, then sleeps), measures the
 * memory they hold together, then stops them all. Memory is read from the OS: RSS and PSS of each
 * process tree, or each container's cgroup.
 */
export async function runDensity(
  target: ProfileTarget,
  instances: number,
  options: {
    args: string[];
    readyMarker: string;
    settleMs: number;
    timeoutMs: number;
    signal?: AbortSignal;
    onReady?: (ready: number) => void;
  },
): Promise<DensityResult> {
  const stopAll = new AbortController();
  // one listener per instance is intended, not a leak
  setMaxListeners(instances + 10, stopAll.signal);
  const onOuterAbort = () => stopAll.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const ids = new Array<string | undefined>(instances).fill(undefined);
  const errors: string[] = [];
  let ready = 0;
  let allReady!: () => void;
  const allReadyPromise = new Promise<void>((r) => (allReady = r));
  const t0 = performance.now();
  let upMs = NaN;
  const runs = Array.from({ length: instances }, (_, i) => {
    let seen = false;
    let buffered = '';
    return target.runtime
      .run(
        { ...target.spec, args: options.args },
        {
          signal: stopAll.signal,
          onStart: (id) => {
            ids[i] = id;
          },
          onStdout: (chunk) => {
            if (seen) return;
            buffered += chunk.toString('utf8');
            if (buffered.split('\n').some((line) => line.startsWith(options.readyMarker))) {
              seen = true;
              ready++;
              options.onReady?.(ready);
              if (ready === instances) {
                upMs = performance.now() - t0;
                allReady();
              }
            }
          },
        },
      )
      .then(
        (outcome) => {
          if (!stopAll.signal.aborted)
            errors.push(
              `instance ${i} exited early with code ${outcome.exitCode}${outcome.stderr ? `: ${outcome.stderr.trim().split('\n').pop()}` : ''}`,
            );
        },
        (e: unknown) => {
          if (!isCancelled(e)) errors.push(`instance ${i}: ${errorMessage(e)}`);
        },
      );
  });
  const everyoneDone = Promise.all(runs);
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      allReadyPromise.then(() => 'ready' as const),
      everyoneDone.then(() => 'exited' as const),
      new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), options.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (options.signal?.aborted) throw new CancelledError(`density of ${target.label}`);
    if (outcome === 'timeout')
      errors.push(
        `only ${ready} of ${instances} instances printed '${options.readyMarker}' within ${options.timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, options.settleMs)); // let lazily touched memory settle
    const started = ids.filter((id): id is string => id !== undefined);
    const result: DensityResult = {
      target: target.id,
      instances,
      ready,
      measured: 0,
      upMs,
      totalRssKb: 0,
      perInstanceRssKb: NaN,
      failures: 0,
      errors,
    };
    // an instance that has exited reads as 0 and is not counted: per-instance figures cover the living
    if (isProcessRuntime(target.runtime)) {
      result.totalPssKb = 0;
      const table = processTable(); // one snapshot of /proc for all instances
      for (const id of started) {
        const rss = readTreeRssKb(Number(id), table);
        if (rss === 0) continue;
        result.measured++;
        result.totalRssKb += rss;
        result.totalPssKb += readTreePssKb(Number(id), table);
      }
      result.perInstancePssKb = result.measured > 0 ? result.totalPssKb / result.measured : NaN;
    } else {
      result.totalCgroupKb = 0;
      for (const id of started) {
        const bytes = readFirstNumber(cgroupCurrentFiles(id));
        if (bytes === undefined) continue;
        result.measured++;
        result.totalCgroupKb += bytes / 1024;
      }
      result.perInstanceCgroupKb =
        result.measured > 0 ? result.totalCgroupKb / result.measured : NaN;
      result.totalRssKb = result.totalCgroupKb;
    }
    result.perInstanceRssKb = result.measured > 0 ? result.totalRssKb / result.measured : NaN;
    result.failures = instances - result.measured;
    if (result.measured < ready)
      errors.push(
        `${ready - result.measured} instance(s) had exited by the time memory was read: keep instances alive longer than the slowest start (${formatMs(upMs)})`,
      );
    return result;
  } finally {
    clearTimeout(timer);
    stopAll.abort();
    await everyoneDone;
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export interface TimelineResult {
  target: string;
  intervalMs: number;
  /** [ms since start, resident KiB] */
  points: Array<[number, number]>;
  exitCode: number | null;
  error?: string;
}

/** One run with its resident memory sampled every `intervalMs` (process tree RSS, or the container's cgroup). */
export async function runMemoryTimeline(
  target: ProfileTarget,
  options: { intervalMs: number; args?: string[]; timeoutMs: number; signal?: AbortSignal },
): Promise<TimelineResult> {
  const points: Array<[number, number]> = [];
  let timer: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  const processRuntime = isProcessRuntime(target.runtime);
  try {
    const outcome = await target.runtime.run(
      { ...target.spec, args: options.args ?? target.spec.args, timeoutMs: options.timeoutMs },
      {
        signal: options.signal,
        onStart: (id) => {
          const sample = () => {
            const kb = processRuntime
              ? readTreeRssKb(Number(id))
              : (readFirstNumber(cgroupCurrentFiles(id)) ?? NaN) / 1024;
            if (kb > 0) points.push([performance.now() - t0, kb]);
          };
          sample();
          timer = setInterval(sample, options.intervalMs);
        },
      },
    );
    return {
      target: target.id,
      intervalMs: options.intervalMs,
      points,
      exitCode: outcome.exitCode,
    };
  } catch (e) {
    if (isCancelled(e)) throw e;
    return {
      target: target.id,
      intervalMs: options.intervalMs,
      points,
      exitCode: null,
      error: errorMessage(e),
    };
  } finally {
    if (timer) clearInterval(timer);
  }
}
