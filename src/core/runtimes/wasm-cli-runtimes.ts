import { runProcess } from '../process/run-process';
import { errorMessage } from '../process/errors';
import { type CommandLine, type MeasureOptions, type RunSample } from '../measure/measured-run';
import { fileSize, measureProcessRuntime } from './process-measure';
import type { RuntimeCapabilities } from './capabilities';
import { findExecutable } from './find-executable';
import { runCommandLine } from './run-command-line';
import type {
  ArtifactSize,
  Detection,
  ProcessRuntimeAdapter,
  RunIO,
  RunOutcome,
  RunSpec,
} from './types';

/**
 * How one standalone Wasm runtime CLI is called. Written from each project's documented CLI
 * (shared/notes/wasm-containers-facts.md): directory mapping in particular differs between them.
 */
export interface WasmCliDefinition {
  id: 'wasmtime' | 'wasmedge' | 'wasmer' | 'iwasm';
  displayName: string;
  executable: string;
  versionArgs: string[];
  parseVersion(output: string): string | undefined;
  buildArgs(spec: RunSpec, version: string | undefined): string[];
  capabilities: RuntimeCapabilities;
  install: string;
  /** Ahead-of-time compilation, where the CLI offers it: how to compile, and how to run the result. */
  aot?: {
    /** The compiler's executable (the runtime's own, or a separate tool such as wamrc). */
    compiler?: string;
    compileArgs(input: string, output: string): string[];
    outputExtension: string;
    /** Arguments to run the compiled artifact (defaults to buildArgs with the artifact replaced). */
    runArgs?(spec: RunSpec, version: string | undefined): string[];
  };
}

const semver = (re: RegExp) => (output: string) => re.exec(output)?.[1];
const major = (version: string | undefined) =>
  version ? Number(version.split('.')[0]) : undefined;
const envPairs = (spec: RunSpec) => Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);

export const WASMTIME: WasmCliDefinition = {
  id: 'wasmtime',
  displayName: 'Wasmtime',
  executable: 'wasmtime',
  versionArgs: ['--version'],
  // "wasmtime 25.0.1 (b4faaf7a7 2024-09-23)", older "wasmtime-cli 12.0.1"
  parseVersion: semver(/wasmtime(?:-cli)? (\d+\.\d+\.\d+\S*)/),
  buildArgs: (spec) => [
    'run',
    ...(spec.dirs ?? []).flatMap((d) => ['--dir', `${d.host}::${d.guest}`]),
    ...envPairs(spec).flatMap((kv) => ['--env', kv]),
    ...(spec.memoryLimitBytes ? ['-W', `max-memory-size=${spec.memoryLimitBytes}`] : []),
    spec.artifact,
    ...(spec.args ?? []),
  ],
  capabilities: {
    wasiPreview1: true,
    components: true,
    aot: 'wasmtime compile → .cwasm (run with --allow-precompiled)',
    dirMapping: '--dir HOST::GUEST',
    limits: ['memory (-W max-memory-size)'],
  },
  install:
    'Install Wasmtime (Bytecode Alliance releases, see docs.wasmtime.dev) or set wasmContainers.runtime.paths.wasmtime.',
  aot: {
    compileArgs: (input, output) => ['compile', input, '-o', output],
    outputExtension: '.cwasm',
    // a precompiled .cwasm is native code: wasmtime runs it only when told to trust it
    runArgs: (spec, version) => {
      const args = WASMTIME.buildArgs(spec, version);
      args.splice(1, 0, '--allow-precompiled');
      return args;
    },
  },
};

export const WASMEDGE: WasmCliDefinition = {
  id: 'wasmedge',
  displayName: 'WasmEdge',
  executable: 'wasmedge',
  versionArgs: ['--version'],
  // "wasmedge version 0.14.1"
  parseVersion: semver(/version (\d+\.\d+\.\d+\S*)/),
  buildArgs: (spec) => [
    ...(spec.dirs ?? []).flatMap((d) => ['--dir', `${d.guest}:${d.host}`]),
    ...envPairs(spec).flatMap((kv) => ['--env', kv]),
    ...(spec.memoryLimitBytes
      ? ['--memory-page-limit', String(Math.ceil(spec.memoryLimitBytes / 65536))]
      : []),
    spec.artifact,
    ...(spec.args ?? []),
  ],
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wasmedge compile (universal .wasm or .so)',
    dirMapping: '--dir GUEST:HOST',
    limits: ['memory (--memory-page-limit)', 'time (--time-limit)'],
  },
  install: 'Install WasmEdge (see wasmedge.org/docs) or set wasmContainers.runtime.paths.wasmedge.',
  // the universal output keeps the module runnable and adds native code that wasmedge picks up
  aot: { compileArgs: (input, output) => ['compile', input, output], outputExtension: '.aot.wasm' },
};

export const WASMER: WasmCliDefinition = {
  id: 'wasmer',
  displayName: 'Wasmer',
  executable: 'wasmer',
  versionArgs: ['--version'],
  // "wasmer 4.3.5"
  parseVersion: semver(/wasmer(?:-cli)? (\d+\.\d+\.\d+\S*)/),
  buildArgs: (spec, version) => {
    // Wasmer 7 maps directories with --volume HOST:GUEST; before it, --mapdir GUEST:HOST.
    const volumes = (major(version) ?? 7) >= 7;
    return [
      'run',
      ...(spec.dirs ?? []).flatMap((d) =>
        volumes ? ['--volume', `${d.host}:${d.guest}`] : ['--mapdir', `${d.guest}:${d.host}`],
      ),
      ...envPairs(spec).flatMap((kv) => ['--env', kv]),
      spec.artifact,
      '--',
      ...(spec.args ?? []),
    ];
  },
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wasmer compile / wasmer create-exe',
    dirMapping: '--volume HOST:GUEST (≥ 7), --mapdir GUEST:HOST (older)',
    limits: [],
  },
  install: 'Install Wasmer (see docs.wasmer.io) or set wasmContainers.runtime.paths.wasmer.',
};

export const IWASM: WasmCliDefinition = {
  id: 'iwasm',
  displayName: 'WAMR (iwasm)',
  executable: 'iwasm',
  versionArgs: ['--version'],
  // "iwasm 2.2.0"
  parseVersion: semver(/iwasm (\d+\.\d+\.\d+\S*)/),
  buildArgs: (spec) => [
    ...(spec.dirs ?? []).map((d) => `--map-dir=${d.guest}::${d.host}`),
    ...envPairs(spec).map((kv) => `--env=${kv}`),
    spec.artifact,
    ...(spec.args ?? []),
  ],
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wamrc → .aot (iwasm runs it directly)',
    dirMapping: '--map-dir=GUEST::HOST',
    limits: ['heap (--heap-size)', 'stack (--stack-size)'],
  },
  install:
    "Build or install WAMR's iwasm (bytecodealliance/wasm-micro-runtime, product-mini) or set wasmContainers.runtime.paths.iwasm.",
  aot: {
    compiler: 'wamrc',
    compileArgs: (input, output) => ['-o', output, input],
    outputExtension: '.aot',
  },
};

export const WASM_CLI_DEFINITIONS = [WASMTIME, WASMEDGE, WASMER, IWASM];

/** A standalone Wasm runtime CLI found on PATH or at a configured path; `aot` runs its precompiled form. */
export class WasmCliRuntime implements ProcessRuntimeAdapter {
  readonly runs = 'wasm' as const;
  private version: string | undefined;

  constructor(
    readonly definition: WasmCliDefinition,
    private readonly executablePath?: string,
    private readonly aot = false,
  ) {
    if (aot && !definition.aot)
      throw new Error(
        `${definition.displayName} offers no ahead-of-time compilation from its CLI.`,
      );
  }

  get id(): string {
    return this.aot ? `${this.definition.id}-aot` : this.definition.id;
  }
  get displayName(): string {
    return this.aot ? `${this.definition.displayName} (AOT)` : this.definition.displayName;
  }

  /** The command that compiles a module ahead of time, for this runtime's AOT variant. */
  compileCommand(module: string, output: string): CommandLine {
    const aot = this.definition.aot!;
    const compiler = aot.compiler ? findExecutable(aot.compiler) : this.resolveExecutable();
    if (!compiler)
      throw new Error(
        `${aot.compiler ?? this.definition.executable} is not on PATH: it compiles ${this.definition.displayName} modules ahead of time.`,
      );
    return { file: compiler, args: aot.compileArgs(module, output), env: process.env };
  }

  /** The executable that would run: the configured path, or the first on PATH. */
  resolveExecutable(): string | undefined {
    return this.executablePath
      ? findExecutable(this.executablePath)
      : findExecutable(this.definition.executable);
  }

  async detect(): Promise<Detection> {
    if (
      this.aot &&
      this.definition.aot?.compiler &&
      !findExecutable(this.definition.aot.compiler)
    ) {
      return {
        available: false,
        reason: `${this.definition.aot.compiler} (the ahead-of-time compiler) is not on PATH. ${this.definition.install}`,
      };
    }
    const exe = this.resolveExecutable();
    if (!exe) {
      const where = this.executablePath
        ? `${this.executablePath} is not an executable file`
        : `${this.definition.executable} is not on PATH`;
      return { available: false, reason: `${where}. ${this.definition.install}` };
    }
    try {
      const r = await runProcess(exe, this.definition.versionArgs, {
        timeoutMs: 10_000,
        label: `${exe} --version`,
      });
      const version = this.definition.parseVersion(`${r.stdout}\n${r.stderr}`);
      if (r.exitCode !== 0 || !version) {
        return {
          available: false,
          reason: `${exe} ${this.definition.versionArgs.join(' ')} answered unexpectedly (exit ${r.exitCode}): ${(r.stdout + r.stderr).trim().slice(0, 200)}`,
        };
      }
      this.version = version;
      return { available: true, version: `${this.definition.id} ${version}` };
    } catch (e) {
      return { available: false, reason: errorMessage(e) };
    }
  }

  commandLine(spec: RunSpec): CommandLine {
    const exe = this.resolveExecutable();
    if (!exe)
      throw new Error(
        `${this.definition.displayName} is not installed. ${this.definition.install}`,
      );
    return {
      file: exe,
      args: this.definition.buildArgs(spec, this.version),
      env: process.env,
      cwd: spec.cwd,
    };
  }

  async run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    if (this.version === undefined) await this.detect();
    return runCommandLine(this.id, this.commandLine(spec), spec, io);
  }
  measure(spec: RunSpec, options?: MeasureOptions): Promise<RunSample> {
    return measureProcessRuntime(this, spec, options);
  }

  artifactSize(spec: RunSpec): Promise<ArtifactSize> {
    return fileSize(spec);
  }
}
