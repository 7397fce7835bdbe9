import { stat } from 'node:fs/promises';
import {
  failedSample,
  measureCommand,
  type MeasureOptions,
  type RunSample,
} from '../measure/measured-run';
import type { ArtifactSize, ProcessRuntimeAdapter, RunSpec } from './types';

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
