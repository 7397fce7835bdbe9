import type * as ChildProcess from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { CancelledError, ProcessError } from './errors';
import { killGroup, killTree } from './kill-tree';

/**
 * node:child_process, loaded on the first spawn: it brings node:net and the streams with it, a
 * good part of the start of a command (inspect) that may never spawn anything.
 */
const childProcess = () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('node:child_process') as typeof ChildProcess;

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the whole process tree and rejects with CancelledError. */
  signal?: AbortSignal;
  /** Kills the tree after this many ms and rejects with a ProcessError (timedOut). */
  timeoutMs?: number;
  /** A fixed input: piped to the child, then its stdin is closed. */
  input?: string | Buffer;
  /**
   * What the child reads on fd 0 when there is no `input`: nothing (`'ignore'`, /dev/null — the
   * default, as hyperfine gives it), this process's own stdin (`'inherit'`: a pipe or terminal goes
   * straight through, so the child sees EOF and readiness exactly as its own), or a stream piped in
   * (its end closes the child's stdin; whatever the child leaves unread is dropped).
   */
  stdin?: StdinSource;
  /** Keeps at most this many bytes of each stream in the result (the rest is still streamed). */
  maxBufferBytes?: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Reject when the exit code is not 0 (default false: the exit code is part of the result). */
  check?: boolean;
  /** Extra pipes after stdio (fd 3, 4 …) whose data is collected into `extra`. */
  extraPipes?: number;
  /**
   * Hands extra pipe `index` (fd 3 + index, a socket: readable and writable) to the caller, who
   * reads and writes it as the process runs; its data is then not collected into `extra`.
   */
  onExtraPipe?: (index: number, pipe: Duplex) => void;
  /** Called once the process exists, with its pid. */
  onSpawn?: (pid: number) => void;
  /** Name used in messages instead of the executable path. */
  label?: string;
  /**
   * Start the child in a session of its own (default true: `detached`, Node's only way to give it a
   * process group, so that the whole tree can be killed at once). false keeps it in this process's
   * session: CFS autogroup schedules each session as one group, so a measuring helper must sit
   * where hyperfine's children would — under load, a session of its own moved hyperfine's own
   * readings by up to 6 % (bench/fidelity.mjs). Such a child kills what it starts itself.
   */
  ownSession?: boolean;
}

export type StdinSource = 'ignore' | 'inherit' | NodeJS.ReadableStream;

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  extra: Buffer[];
  durationMs: number;
  pid: number;
}

const DEFAULT_MAX_BUFFER = 4 * 1024 * 1024;

class BoundedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    if (this.size >= this.limit) {
      this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * The one way the project starts processes: an argv array (never a shell string), cancellation
 * through AbortSignal, the whole tree killed on cancel or timeout, and stderr carried in errors.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const label = options.label ?? file;
  const command = [file, ...args].join(' ');
  if (options.signal?.aborted) return Promise.reject(new CancelledError(label));
  const limit = options.maxBufferBytes ?? DEFAULT_MAX_BUFFER;
  const stdout = new BoundedBuffer(limit);
  const stderr = new BoundedBuffer(limit);
  const extraCount = options.extraPipes ?? 0;
  const stdinSource = options.input === undefined ? (options.stdin ?? 'ignore') : 'pipe';
  // no input: stdin is /dev/null (as hyperfine gives it), which also saves a pipe per process
  const stdio: StdioOptions = [
    typeof stdinSource === 'string' ? stdinSource : 'pipe',
    'pipe',
    'pipe',
    ...Array<'pipe'>(extraCount).fill('pipe'),
  ];

  return new Promise<ProcessResult>((resolve, reject) => {
    const started = performance.now();
    // detached: the child leads its own process group, so the whole tree can be killed at once
    const ownSession = options.ownSession ?? true;
    const child = childProcess().spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio,
      detached: ownSession,
      windowsHide: true,
    });
    const extra: Buffer[][] = Array.from({ length: extraCount }, () => []);
    let settled = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(error);
    };
    const killAll = () => {
      if (child.pid !== undefined) killTree(child.pid);
    };
    const onAbort = () => {
      killAll();
      fail(new CancelledError(label));
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      killAll();
      const hint =
        err.code === 'ENOENT'
          ? `: '${file}' was not found. Install it or set its path in the settings.`
          : err.code === 'EACCES'
            ? `: '${file}' is not executable (chmod +x it).`
            : `: ${err.message}`;
      fail(new ProcessError(`Could not start ${label}${hint}`, { command, code: err.code }));
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);

    child.stdout!.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onStdout?.(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      options.onStderr?.(chunk);
    });
    extra.forEach((chunks, i) => {
      const pipe = child.stdio[3 + i] as Duplex;
      if (options.onExtraPipe) options.onExtraPipe(i, pipe);
      else pipe.on('data', (chunk: Buffer) => chunks.push(chunk));
    });
    if (child.stdin) {
      child.stdin.on('error', () => {
        // the child may exit without reading its input (EPIPE): its exit status tells the story
      });
      if (options.input !== undefined) child.stdin.end(options.input);
      else if (typeof stdinSource !== 'string') {
        const source = stdinSource;
        source.pipe(child.stdin);
        child.on('exit', () => source.unpipe(child.stdin!));
      }
    }

    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        killAll();
      }, options.timeoutMs);
    }

    // 'close' waits for the stdio streams too, so no output is lost
    child.on('close', (exitCode, signal) => {
      if (settled) return;
      // a grandchild may still hold the group alive after the leader exits
      if (child.pid !== undefined && ownSession) killGroup(child.pid);
      const result: ProcessResult = {
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        extra: extra.map((chunks) => Buffer.concat(chunks)),
        durationMs: performance.now() - started,
        pid: child.pid ?? -1,
      };
      if (timedOut) {
        fail(
          new ProcessError(
            `${label} did not finish within ${options.timeoutMs} ms and was stopped (its whole process tree was killed). Raise the timeout if it needs longer.${result.stderr ? `\nstderr:\n${tail(result.stderr)}` : ''}`,
            { command, exitCode, signal, stderr: result.stderr, timedOut: true },
          ),
        );
        return;
      }
      if (options.check && exitCode !== 0) {
        const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
        fail(
          new ProcessError(
            `${label} ${how}.${result.stderr ? `\nstderr:\n${tail(result.stderr)}` : ''}`,
            { command, exitCode, signal, stderr: result.stderr },
          ),
        );
        return;
      }
      settled = true;
      cleanup();
      resolve(result);
    });
  });
}
