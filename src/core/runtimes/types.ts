import type { CommandLine } from '../measure/measured-run';

/** A host directory made visible to the guest. */
export interface DirMapping {
  host: string;
  guest: string;
}

/** What to run: a module or native binary (process runtimes) or an image (container runtimes). */
export interface RunSpec {
  /** Path of the .wasm module or native executable, or an image reference for container runtimes. */
  artifact: string;
  args?: string[];
  env?: Record<string, string>;
  dirs?: DirMapping[];
  cwd?: string;
  stdin?: string;
  timeoutMs?: number;
  /** Upper bound of the guest's memory, where the runtime can enforce one. */
  memoryLimitBytes?: number;
}

export interface RunIO {
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

export interface RunOutcome {
  runtime: string;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Process id or container id, whichever the runtime had. */
  id: string;
}

export interface Detection {
  available: boolean;
  version?: string;
  /** Why it is not available, and how to get it. */
  reason?: string;
}

/** The one interface every runtime implements (process runtimes also describe their command line). */
export interface RuntimeAdapter {
  readonly id: string;
  readonly displayName: string;
  /** What the runtime executes. */
  readonly runs: 'wasm' | 'native';
  detect(): Promise<Detection>;
  run(spec: RunSpec, io?: RunIO): Promise<RunOutcome>;
}

/** Runtimes that are a plain process: the profiler wraps their command line to measure it. */
export interface ProcessRuntimeAdapter extends RuntimeAdapter {
  commandLine(spec: RunSpec): CommandLine;
}

export function isProcessRuntime(adapter: RuntimeAdapter): adapter is ProcessRuntimeAdapter {
  return typeof (adapter as ProcessRuntimeAdapter).commandLine === 'function';
}
