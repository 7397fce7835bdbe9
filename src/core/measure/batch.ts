import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CancelledError } from '../process/errors';
import { killTree } from '../process/kill-tree';
import { failedSample, type CommandLine, type RunSample } from './measured-run';

/** One command of a batch: a process runtime's command line with its per-sample limits. */
export interface BatchCommand extends CommandLine {
  /** Kill the sample's process group after this long and record it as failed. */
  timeoutMs?: number;
  /** Bytes given on the program's standard input (default: /dev/null, as hyperfine gives). */
  stdin?: string | Buffer;
}

export interface BatchOptions {
  /** Line prefixes whose first appearance on stdout is timed (see markerTimes). */
  markers?: string[];
  signal?: AbortSignal;
  /**
   * Called for every sample, in schedule order. The helper waits until the returned promise has
   * settled before it starts the next sample, so this work never overlaps a measured start.
   */
  onSample: (step: number, sample: RunSample) => void | Promise<void>;
}

/** One line the helper writes per sample (native/wc-exec.c, batch mode). */
interface BatchRecord {
  step: number;
  exitCode: number;
  signal: number;
  execErrno: number;
  timedOut: number;
  wallNs: number;
  firstStdoutNs: number;
  maxRssKb: number;
  userUs: number;
  systemUs: number;
  stdoutBytes: number;
  markers: number[];
  stderrTail: string;
}

const errnoNames: Record<number, string> = { 2: 'not found', 13: 'permission denied' };

/** The helper's record as a sample (the same figures and failures measureCommand gives). */
export function sampleFromRecord(
  record: BatchRecord,
  command: BatchCommand,
  markers: string[],
): RunSample {
  const stderr = record.stderrTail;
  if (record.execErrno !== 0) {
    const why = errnoNames[record.execErrno];
    return failedSample(
      `Could not start ${command.file}: errno ${record.execErrno}${why ? ` (${why})` : ''}`,
      '',
      stderr,
    );
  }
  const sample: RunSample = {
    exitCode: record.signal ? null : record.exitCode,
    signal: record.signal ? `signal ${record.signal}` : null,
    wallMs: record.wallNs / 1e6,
    firstOutputMs: record.firstStdoutNs >= 0 ? record.firstStdoutNs / 1e6 : undefined,
    maxRssKb: record.maxRssKb,
    userMs: record.userUs / 1e3,
    systemMs: record.systemUs / 1e3,
    markers: Object.fromEntries(
      markers.flatMap((m, i) => (record.markers[i] >= 0 ? [[m, record.markers[i] / 1e6]] : [])),
    ),
    exact: true,
    memorySource: 'wait4',
    stdout: '',
    stdoutBytes: record.stdoutBytes,
    stderr,
  };
  if (record.timedOut) {
    return {
      ...failedSample(
        `${path.basename(command.file)} did not finish within ${command.timeoutMs} ms and was stopped (its process group was killed). Raise the timeout if it needs longer.`,
        '',
        stderr,
      ),
      stdoutBytes: record.stdoutBytes,
    };
  }
  return sample;
}

/** The plan file the helper reads: NUL-terminated fields (native/wc-exec.c documents them). */
function writePlan(
  dir: string,
  commands: BatchCommand[],
  schedule: number[],
  markers: string[],
): string {
  const fields: string[] = ['wc-exec-plan-1', 'markers', String(markers.length), ...markers];
  commands.forEach((c, i) => {
    const env = Object.entries(c.env ?? process.env).flatMap(([k, v]) =>
      v === undefined ? [] : [`${k}=${v}`],
    );
    let stdinFile = '';
    if (c.stdin !== undefined) {
      stdinFile = path.join(dir, `stdin-${i}`);
      writeFileSync(stdinFile, c.stdin);
    }
    fields.push('command', String(c.args.length + 1), c.file, ...c.args);
    fields.push(String(env.length), ...env, c.cwd ?? '', stdinFile);
    fields.push(String(Math.max(0, Math.round(c.timeoutMs ?? 0))));
  });
  fields.push('schedule', String(schedule.length), ...schedule.map(String));
  for (const f of fields)
    if (f.includes('\0')) throw new Error(`a command line holds a NUL byte: ${JSON.stringify(f)}`);
  const file = path.join(dir, 'plan');
  writeFileSync(file, fields.map((f) => `${f}\0`).join(''));
  return file;
}

/**
 * Runs a whole schedule of samples inside the wc-exec helper: `schedule[k]` is the index of the
 * command sample k runs. The helper spawns, times and reaps every sample itself and streams one
 * record per sample; Node only reads the records between samples (the helper waits for an
 * acknowledgement), so nothing of Node runs during a measured start. Resolves when every sample
 * is done; rejects with CancelledError when `signal` aborts (the running sample is killed).
 */
export async function runBatch(
  helper: string,
  commands: BatchCommand[],
  schedule: number[],
  options: BatchOptions,
): Promise<void> {
  if (schedule.length === 0) return;
  if (options.signal?.aborted) throw new CancelledError('the measurement');
  const markers = options.markers ?? [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wc-batch-'));
  try {
    const plan = writePlan(dir, commands, schedule, markers);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(helper, ['--batch', plan, '--report-fd', '3', '--ack-fd', '4'], {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
        detached: true,
      });
      const report = child.stdio[3] as Readable;
      const ack = child.stdio[4] as Writable;
      ack.on('error', () => undefined); // the helper may exit before reading the last byte
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      let failure: Error | undefined;
      let next = 0;
      let handling = Promise.resolve();
      const onAbort = () => {
        failure ??= new CancelledError('the measurement');
        child.kill('SIGTERM'); // the helper kills the running sample's group, then exits
        if (child.pid !== undefined) killTree(child.pid);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // both the helper's exit and the end of its records, whichever comes last, settle the batch
      let open = 2;
      const settle = (code: number | null) => {
        if (--open > 0) return;
        options.signal?.removeEventListener('abort', onAbort);
        void handling.then(() => {
          if (failure) reject(failure);
          else if (next !== schedule.length)
            reject(
              new Error(
                `wc-exec stopped after ${next} of ${schedule.length} samples (exit ${code}): ${stderr.trim()}`,
              ),
            );
          else resolve();
        });
      };
      let exitCode: number | null = null;
      const lines = createInterface({ input: report });
      lines.on('close', () => settle(exitCode));
      lines.on('line', (line) => {
        handling = handling.then(async () => {
          if (failure) return;
          try {
            const record = JSON.parse(line) as BatchRecord;
            if (record.step !== next++)
              throw new Error(`wc-exec reported sample ${record.step}, expected ${next - 1}`);
            const command = commands[schedule[record.step]];
            await options.onSample(record.step, sampleFromRecord(record, command, markers));
            ack.write('.');
          } catch (e) {
            failure = e instanceof Error ? e : new Error(String(e));
            child.kill('SIGTERM');
          }
        });
      });
      child.on('error', (e) => (failure ??= e));
      child.on('close', (code) => {
        exitCode = code;
        settle(code);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
