import { CancelledError } from '../process/errors';
import { runProcess } from '../process/run-process';
import { execFailure, locateExecHelper, parseExecHelperReport, sampleFigures } from './exec-helper';
import { PeakRssPoller } from './peak-rss-poller';

export interface CommandLine {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** One measured execution of a command. Times in milliseconds, memory in KiB. */
export interface RunSample {
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  /** From spawn to the first byte on stdout; undefined when nothing was printed. */
  firstOutputMs?: number;
  /** Peak resident set of the process (wait4 ru_maxrss), KiB. */
  maxRssKb: number;
  userMs?: number;
  systemMs?: number;
  /** ms at which each marker line was seen, keyed by marker. */
  markers: Record<string, number>;
  /** True when timing and memory come from wait4 accounting; false when polled by Node. */
  exact: boolean;
  /** Where maxRssKb comes from. */
  memorySource?: 'wait4' | 'proc-polled' | 'cgroup-polled';
  /** Containers: the docker run --rm equivalent split into its API steps, ms. */
  containerPhases?: { create: number; start: number; run: number; remove: number };
  /** What the run printed; empty when only counted (batch runs: see stdoutBytes). */
  stdout: string;
  /** Bytes printed on stdout when `stdout` was not kept. */
  stdoutBytes?: number;
  stderr: string;
  error?: string;
}

export interface MeasureOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Lines whose appearance on stdout is timed, e.g. ['Starting', 'Stopped']. Matched as prefixes. */
  markers?: string[];
  maxBufferBytes?: number;
}

/** Times at which each marker line first appeared, from (end offset, time) pairs of stdout chunks. */
export function markerTimes(
  stdout: string,
  chunks: Array<[number, number]>,
  markers: string[],
): Record<string, number> {
  const found: Record<string, number> = {};
  if (markers.length === 0) return found;
  const bytes = Buffer.from(stdout, 'utf8');
  let lineStart = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const line = bytes.subarray(lineStart, i).toString('utf8').replace(/\r$/, '');
    for (const marker of markers) {
      if (found[marker] === undefined && line.startsWith(marker)) {
        // the chunk that completed this line (its end offset is past the newline)
        const chunk = chunks.find(([end]) => end > i) ?? chunks.find(([end]) => end >= i);
        if (chunk) found[marker] = chunk[1] / 1e6;
      }
    }
    lineStart = i + 1;
  }
  return found;
}

export function failedSample(error: string, stdout = '', stderr = ''): RunSample {
  return {
    exitCode: null,
    signal: null,
    wallMs: NaN,
    maxRssKb: NaN,
    markers: {},
    exact: false,
    stdout,
    stderr,
    error,
  };
}

/**
 * Runs a command once and measures it: wall time, first output, marker times and peak RSS, through
 * the wc-exec helper when it is built (exact, like hyperfine and GNU time), else by polling.
 * A run that fails to start, times out or is killed becomes a sample with `error` set, never a throw
 * (except cancellation).
 */
export async function measureCommand(
  cmd: CommandLine,
  options: MeasureOptions = {},
): Promise<RunSample> {
  const helper = locateExecHelper();
  const markers = options.markers ?? [];
  try {
    if (helper) {
      const result = await runProcess(helper, ['--report-fd', '3', '--', cmd.file, ...cmd.args], {
        env: cmd.env,
        cwd: cmd.cwd,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        extraPipes: 1,
        maxBufferBytes: options.maxBufferBytes,
        label: cmd.file,
      });
      const reportText = result.extra[0]?.toString('utf8') ?? '';
      if (!reportText)
        return failedSample(
          `wc-exec wrote no report (exit ${result.exitCode}): ${result.stderr.trim()}`,
          result.stdout,
          result.stderr,
        );
      const report = parseExecHelperReport(reportText);
      const failure = execFailure(cmd.file, report);
      if (failure) return failedSample(failure, result.stdout, result.stderr);
      return {
        ...sampleFigures(report),
        markers: markerTimes(result.stdout, report.chunks, markers),
        stdout: result.stdout,
        stderr: result.stderr,
      };
    }
    let poller: PeakRssPoller | undefined;
    let firstOutputMs: number | undefined;
    const chunks: Array<[number, number]> = [];
    let offset = 0;
    const t0 = performance.now();
    const result = await runProcess(cmd.file, cmd.args, {
      env: cmd.env,
      cwd: cmd.cwd,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxBufferBytes: options.maxBufferBytes,
      onSpawn: (pid) => {
        poller = new PeakRssPoller(pid);
      },
      onStdout: (chunk) => {
        const t = performance.now() - t0;
        firstOutputMs ??= t;
        offset += chunk.length;
        chunks.push([offset, t * 1e6]);
      },
    });
    const peak = poller?.stop() ?? NaN;
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      wallMs: result.durationMs,
      firstOutputMs,
      maxRssKb: peak,
      markers: markerTimes(result.stdout, chunks, markers),
      exact: false,
      memorySource: 'proc-polled',
      stdout: result.stdout,
      stderr: result.stderr,
    };
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return failedSample(e instanceof Error ? e.message : String(e));
  }
}
