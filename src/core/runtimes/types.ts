import type { StdinSource } from '../process/run-process';
import type { CommandLine, MeasureOptions, RunSample } from '../measure/measured-run';

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
  /** A fixed input for the guest's stdin (measured runs); live input goes in RunIO.stdin. */
  stdin?: string;
  timeoutMs?: number;
  /** Upper bound of the guest's memory, where the runtime can enforce one. */
  memoryLimitBytes?: number;
  /** Set by an ahead-of-time variant's prepare(): the compiled form its runs use. */
  precompiled?: PrecompiledArtifact;
  /**
   * Container runtimes: the OCI runtime to run under instead of the target's own, as a path or as
   * the name the engine registered it under (an engine that cannot honour it refuses, saying why).
   */
  ociRuntime?: string;
  /** Container runtimes: OCI annotations (run.oci.handler=wasm, module.wasm.image/variant=compat). */
  annotations?: Record<string, string>;
}

/** What an ahead-of-time compile wrote for one module, and what it cost (outside every measured run). */
export interface PrecompiledArtifact {
  /** The module it was compiled from (RunSpec.artifact). */
  module: string;
  /** sha256 of the module's bytes: the cache key, with the compiler's identity. */
  moduleDigest: string;
  /** The compiled form: a file (.cwasm, .wasmu, .aot) or a compilation cache directory (wazero). */
  path: string;
  kind: 'file' | 'directory';
  /** Bytes of the compiled form on disk. */
  bytes: number;
  /** How long the compile took, when it ran (this prepare, or the one that filled the cache). */
  compileMs: number;
  /** True when this prepare found it in the cache and compiled nothing. */
  reused: boolean;
  /** The compile's command line. */
  compiler: { file: string; args: string[]; version?: string };
}

export interface RunIO {
  signal?: AbortSignal;
  /**
   * Live input for the guest's stdin: this process's own (`'inherit'`, the CLI) or a stream (the
   * editor's terminal). Without it (and without RunSpec.stdin) the guest reads /dev/null.
   */
  stdin?: StdinSource;
  /** Called once the run exists: a process id (process runtimes) or a container id. */
  onStart?: (id: string) => void;
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
  /** Why it is not available, and how to get it (plain words: no editor setting, no CLI flag). */
  reason?: string;
  /** The executable that is missing or does not work, for front ends to offer a way to name it. */
  missing?: MissingExecutable;
}

/**
 * A structured hint: the executable a runtime needs, which front ends turn into their own wording
 * (the extension: the runtime.paths setting; the CLI: its path flag).
 */
export interface MissingExecutable {
  /** The executable's name: 'wasmtime', 'wamrc'. */
  executable: string;
  /** Its key in the path map the catalog takes (CatalogOptions.paths). */
  pathKey: string;
  /** What it is for: running modules, or compiling them ahead of time. */
  role: 'runtime' | 'aot-compiler';
  /** The configured path, when one was given but is not usable. */
  configuredPath?: string;
  /** It is there but does not work (a compiler that refuses to compile): what it answered. */
  failure?: string;
  /** Where to get it. */
  install: string;
}

/** The one interface every runtime implements (process runtimes also describe their command line). */
export interface RuntimeAdapter {
  readonly id: string;
  readonly displayName: string;
  /** What the runtime executes. */
  readonly runs: 'wasm' | 'native';
  detect(): Promise<Detection>;
  /**
   * Work done once before a profile's measured runs and never timed (an ahead-of-time compile,
   * cached per module digest): returns the spec those runs use. Optional.
   */
  prepare?(spec: RunSpec, options: { signal?: AbortSignal }): Promise<RunSpec>;
  run(spec: RunSpec, io?: RunIO): Promise<RunOutcome>;
  /** One measured run for the profiler: never throws for a failed run (only for cancellation). */
  measure(spec: RunSpec, options?: MeasureOptions): Promise<RunSample>;
  /** Bytes of what this runtime runs: the module or binary on disk, or the image. */
  artifactSize(spec: RunSpec): Promise<ArtifactSize>;
}

export interface ArtifactSize {
  bytes: number;
  /** Images: compressed (as pushed) when known. */
  compressedBytes?: number;
  what: 'file' | 'image';
}

/** Runtimes that are a plain process: the profiler wraps their command line to measure it. */
export interface ProcessRuntimeAdapter extends RuntimeAdapter {
  commandLine(spec: RunSpec): CommandLine;
}

export function isProcessRuntime(adapter: RuntimeAdapter): adapter is ProcessRuntimeAdapter {
  return typeof (adapter as ProcessRuntimeAdapter).commandLine === 'function';
}
