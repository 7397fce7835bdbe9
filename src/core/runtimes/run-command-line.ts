import { runProcess } from '../process/run-process';
import type { CommandLine } from '../measure/measured-run';
import type { RunIO, RunOutcome, RunSpec } from './types';

/** Runs a process runtime's command line with streaming output; shared by the process adapters. */
export async function runCommandLine(
  runtime: string,
  cmd: CommandLine,
  spec: RunSpec,
  io: RunIO,
): Promise<RunOutcome> {
  const result = await runProcess(cmd.file, cmd.args, {
    env: cmd.env,
    cwd: cmd.cwd,
    signal: io.signal,
    timeoutMs: spec.timeoutMs,
    input: spec.stdin,
    stdin: io.stdin,
    onStdout: io.onStdout,
    onStderr: io.onStderr,
    onSpawn: (pid) => io.onStart?.(String(pid)),
    label: `${runtime} ${spec.artifact}`,
  });
  return {
    runtime,
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: result.durationMs,
    id: String(result.pid),
  };
}
