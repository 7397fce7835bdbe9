import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { CancelledError } from '../process/errors';
import { runProcess } from '../process/run-process';
import { execFailure, sampleFigures, type ExecFigures } from './exec-helper';
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
interface BatchRecord extends ExecFigures {
  step: number;
  timedOut: number;
  stdoutBytes: number;
  markers: number[];
  stderrTail: string;
}

/** The helper's record as a sample (the same figures and failures measureCommand gives). */
export function sampleFromRecord(
  record: BatchRecord,
  command: BatchCommand,
  markers: string[],
): RunSample {
  const stderr = record.stderrTail;
  const failure = execFailure(command.file, record);
  if (failure) return failedSample(failure, '', stderr);
  const sample: RunSample = {
    ...sampleFigures(record),
    markers: Object.fromEntries(
      markers.flatMap((m, i) => {
        const ns = record.markers[i] ?? -1;
        return ns >= 0 ? [[m, ns / 1e6]] : [];
      }),
    ),
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
    let next = 0;
    let failure: Error | undefined;
    let handling = Promise.resolve();
    let records: Promise<void> = Promise.resolve();
    let ack: Duplex | undefined;
    const helperRun = runProcess(helper, ['--batch', plan, '--report-fd', '3', '--ack-fd', '4'], {
      signal: options.signal, // the whole tree is killed: the helper and the sample it runs
      extraPipes: 2,
      label: 'wc-exec (batch)',
      // in our session, as hyperfine's children are in its caller's (CFS autogroup: one scheduling
      // group per session); the helper puts each sample in a process group and kills it itself
      ownSession: false,
      onExtraPipe: (index, pipe) => {
        if (index === 1) {
          ack = pipe;
          pipe.on('error', () => undefined); // the helper may exit before reading the last byte
          return;
        }
        const lines = createInterface({ input: pipe });
        records = new Promise((resolve) => lines.on('close', resolve));
        lines.on('line', (line) => {
          handling = handling.then(async () => {
            if (failure) return;
            try {
              const record = JSON.parse(line) as BatchRecord;
              if (record.step !== next++)
                throw new Error(`wc-exec reported sample ${record.step}, expected ${next - 1}`);
              const command = commands[schedule[record.step] ?? -1];
              if (!command) throw new Error(`wc-exec reported a sample outside the schedule`);
              await options.onSample(record.step, sampleFromRecord(record, command, markers));
              ack?.write('.');
            } catch (e) {
              failure = e instanceof Error ? e : new Error(String(e));
              ack?.destroy(); // the helper stops at the end of this sample
            }
          });
        });
      },
    });
    // the helper's first sample waits for this byte: Node is still busy for 10-20 ms after the
    // spawn (pipes, readline, a GC the allocations scheduled), which would compete with the first
    // samples for the CPU; a setImmediate runs once that work and the tasks it posted are done
    setImmediate(() => ack?.write('.'));
    const result = await helperRun;
    await records;
    await handling;
    if (failure) throw failure;
    if (next !== schedule.length)
      throw new Error(
        `wc-exec stopped after ${next} of ${schedule.length} samples (exit ${result.exitCode}): ${result.stderr.trim()}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
