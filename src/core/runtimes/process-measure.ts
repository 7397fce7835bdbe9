import { stat } from 'node:fs/promises';
import {
  failedSample,
  measureCommand,
  type MeasureOptions,
  type RunSample,
} from '../measure/measured-run';
import type { CommandLine } from '../measure/measured-run';
import { runCommandLine } from './run-command-line';
import type {
  ArtifactSize,
  Detection,
  ProcessRuntimeAdapter,
  RunIO,
  RunOutcome,
  RunSpec,
} from './types';

/** measure() of every process runtime: its command line run through the wc-exec helper. */
export async function measureProcessRuntime(
  runtime: ProcessRuntimeAdapter,
  spec: RunSpec,
  options: MeasureOptions = {},
): Promise<RunSample> {
  let cmd;
  try {
    cmd = runtime.commandLine(spec);
  } catch (e) {
    return failedSample((e as Error).message);
  }
  return measureCommand(cmd, { ...options, timeoutMs: options.timeoutMs ?? spec.timeoutMs });
}

export async function fileSize(spec: RunSpec): Promise<ArtifactSize> {
  return { bytes: (await stat(spec.artifact)).size, what: 'file' };
}

/**
 * What every process runtime shares once it knows its command line: a run is that command line
 * with its output in the caller's terminal, a measurement is it under the wc-exec helper, and the
 * artifact's size is the file's.
 */
export abstract class ProcessRuntime implements ProcessRuntimeAdapter {
  abstract readonly id: string;
  abstract readonly displayName: string;
  abstract readonly runs: 'wasm' | 'native';
  abstract detect(): Promise<Detection>;
  abstract commandLine(spec: RunSpec): CommandLine;

  run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    return runCommandLine(this.id, this.commandLine(spec), spec, io);
  }

  measure(spec: RunSpec, options?: MeasureOptions): Promise<RunSample> {
    return measureProcessRuntime(this, spec, options);
  }

  artifactSize(spec: RunSpec): Promise<ArtifactSize> {
    return fileSize(spec);
  }
}
