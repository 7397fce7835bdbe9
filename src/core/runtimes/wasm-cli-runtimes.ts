import path from 'node:path';
import { cachedAnswer } from '../process/version-cache';
import { errorMessage } from '../process/errors';
import type { CommandLine } from '../measure/measured-run';
import { compileOnce, defaultAotCacheDir, findPrecompiled, type AotCompiler } from './aot-cache';
import { probeCompiler } from './aot-probe';
import { ProcessRuntime } from './process-measure';
import { findExecutable } from './find-executable';
import { runCommandLine } from './run-command-line';
import type { Detection, MissingExecutable, RunIO, RunOutcome, RunSpec } from './types';
import {
  WASM_CLI_DEFINITIONS,
  type ToolDefinition,
  type WasmCliDefinition,
} from './wasm-cli-definitions';

export {
  IWASM,
  WAMRC,
  WASMEDGE,
  WASMER,
  WASMTIME,
  WAZERO,
  WASM_CLI_DEFINITIONS,
  type AotDefinition,
  type ToolDefinition,
  type WasmCliDefinition,
} from './wasm-cli-definitions';

export interface WasmCliOptions {
  /** The ahead-of-time compiler, where it is a separate tool (wamrc): a path or a name on PATH. */
  compilerPath?: string;
  /** Where compiled artifacts are kept (default: the user's cache directory, see defaultAotCacheDir). */
  aotCacheDir?: string;
}

/** Whether prepare() compiled this spec's module (and not another one's). */
const isPrepared = (spec: RunSpec) =>
  spec.precompiled !== undefined && spec.precompiled.module === path.resolve(spec.artifact);

type Found = { ok: true; file: string; version: string } | { ok: false; detection: Detection };

/** Finds a tool (a configured path, else PATH) and asks its version. */
async function findTool(
  tool: ToolDefinition,
  configured: string | undefined,
  missing: Omit<MissingExecutable, 'install' | 'executable' | 'configuredPath'>,
): Promise<Found> {
  const hint: MissingExecutable = {
    ...missing,
    executable: tool.executable,
    install: tool.install,
    ...(configured ? { configuredPath: configured } : {}),
  };
  const file = findExecutable(configured ?? tool.executable);
  if (!file) {
    const where = configured
      ? `${configured} is not an executable file`
      : `${tool.executable} is not on PATH`;
    return {
      ok: false,
      detection: { available: false, reason: `${where}. ${tool.install}`, missing: hint },
    };
  }
  try {
    const r = await cachedAnswer(file, tool.versionArgs, {
      timeoutMs: 10_000,
      label: `${file} ${tool.versionArgs.join(' ')}`,
    });
    const version = tool.parseVersion(`${r.stdout}\n${r.stderr}`);
    if (r.exitCode === 0 && version) return { ok: true, file, version };
    const said = (r.stdout + r.stderr).trim().slice(0, 200);
    return {
      ok: false,
      detection: {
        available: false,
        reason: `${file} ${tool.versionArgs.join(' ')} answered unexpectedly (exit ${r.exitCode}): ${said}`,
        missing: { ...hint, failure: said },
      },
    };
  } catch (e) {
    return { ok: false, detection: { available: false, reason: errorMessage(e), missing: hint } };
  }
}

/**
 * A standalone Wasm runtime CLI found on PATH or at a configured path. Its ahead-of-time variant
 * (`aot`) compiles each module once (prepare(), cached per module digest and compiler) and runs
 * what the compile wrote; it is available only when its compiler really compiles.
 */
export class WasmCliRuntime extends ProcessRuntime {
  readonly runs = 'wasm' as const;
  private version: string | undefined;
  private compiler: AotCompiler | undefined;

  constructor(
    readonly definition: WasmCliDefinition,
    private readonly executablePath?: string,
    readonly aot = false,
    private readonly options: WasmCliOptions = {},
  ) {
    super();
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
  get aotCacheDir(): string {
    return this.options.aotCacheDir ?? defaultAotCacheDir();
  }

  /** The executable that would run: the configured path, or the first on PATH. */
  resolveExecutable(): string | undefined {
    return findExecutable(this.executablePath ?? this.definition.executable);
  }

  async detect(): Promise<Detection> {
    const runtime = await findTool(this.definition, this.executablePath, {
      pathKey: this.definition.id,
      role: 'runtime',
    });
    if (!runtime.ok) return runtime.detection;
    this.version = runtime.version;
    const detected: Detection = {
      available: true,
      version: `${this.definition.id} ${runtime.version}`,
    };
    if (!this.aot) return detected;

    const aot = this.definition.aot!;
    const tool = aot.compiler;
    const compiler = tool
      ? await findTool(tool, this.options.compilerPath, {
          pathKey: tool.executable,
          role: 'aot-compiler',
        })
      : runtime;
    if (!compiler.ok) return compiler.detection;
    const candidate: AotCompiler = {
      runtimeId: this.definition.id,
      file: compiler.file,
      version: tool ? `${tool.executable} ${compiler.version}` : runtime.version,
      aot,
    };
    const failure = await probeCompiler(candidate);
    if (failure) {
      const name = tool?.executable ?? this.definition.executable;
      return {
        available: false,
        reason: `${name} does not compile ahead of time here: ${failure}`,
        missing: {
          executable: name,
          pathKey: tool?.executable ?? this.definition.id,
          role: 'aot-compiler',
          failure,
          install: tool?.install ?? this.definition.install,
        },
      };
    }
    this.compiler = candidate;
    return tool ? { ...detected, version: `${detected.version} + ${candidate.version}` } : detected;
  }

  /** The ahead-of-time compile of `spec.artifact`, once per module digest; runs use its output. */
  async prepare(spec: RunSpec, options: { signal?: AbortSignal } = {}): Promise<RunSpec> {
    if (!this.aot) return spec;
    const compiler = await this.detectedCompiler();
    const precompiled = await compileOnce(this.aotCacheDir, compiler, spec.artifact, options);
    return { ...spec, precompiled };
  }

  private async detectedCompiler(): Promise<AotCompiler> {
    if (!this.compiler) {
      const d = await this.detect();
      if (!this.compiler)
        throw new Error(`${this.displayName} is not available: ${d.reason ?? 'unknown reason'}`);
    }
    return this.compiler;
  }

  /** Where the compiled form of spec.artifact is: what prepare() returned, else the cache. */
  private precompiledPath(spec: RunSpec): string {
    if (isPrepared(spec)) return spec.precompiled!.path;
    const found = this.compiler && findPrecompiled(this.aotCacheDir, this.compiler, spec.artifact);
    if (!found)
      throw new Error(
        `${this.displayName}: ${spec.artifact} is not compiled ahead of time yet (prepare() compiles it once).`,
      );
    return found.path;
  }

  commandLine(spec: RunSpec): CommandLine {
    const exe = this.resolveExecutable();
    if (!exe)
      throw new Error(
        `${this.definition.displayName} is not installed. ${this.definition.install}`,
      );
    const args = this.aot
      ? this.definition.aot!.runArgs(spec, this.precompiledPath(spec), this.version)
      : this.definition.buildArgs(spec, this.version);
    return { file: exe, args, env: process.env, cwd: spec.cwd };
  }

  /** Runs the module; the AOT variant compiles it first when the cache does not have it. */
  override async run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    if (this.version === undefined) await this.detect();
    const ready =
      this.aot && !isPrepared(spec) ? await this.prepare(spec, { signal: io.signal }) : spec;
    return runCommandLine(this.id, this.commandLine(ready), ready, io);
  }
}

/**
 * The standalone Wasm runtime CLIs and their ahead-of-time variants, as the catalog lists them.
 * Here, not in the catalog, so that what needs only the CLIs (the inspector's verdicts) does not
 * load the engines' modules.
 */
export function wasmCliRuntimes(
  options: { paths?: Partial<Record<string, string>>; aotCacheDir?: string } = {},
) {
  const plain = WASM_CLI_DEFINITIONS.map((def) => new WasmCliRuntime(def, options.paths?.[def.id]));
  const aot = WASM_CLI_DEFINITIONS.filter((def) => def.aot).map(
    (def) =>
      new WasmCliRuntime(def, options.paths?.[def.id], true, {
        compilerPath: def.aot?.compiler ? options.paths?.[def.aot.compiler.executable] : undefined,
        aotCacheDir: options.aotCacheDir,
      }),
  );
  return [...plain, ...aot];
}
