import type { RuntimeCapabilities } from './capabilities';
import type { RunSpec } from './types';

/** An executable the project calls: how to ask its version, and where people get it. */
export interface ToolDefinition {
  executable: string;
  versionArgs: string[];
  parseVersion(output: string): string | undefined;
  /** Where to get it, in plain words (front ends add how to name its path). */
  install: string;
}

/**
 * Ahead-of-time compilation where the CLI offers it. The compile runs once per module (and
 * compiler) outside every measured run; the runs then use what it wrote.
 */
export interface AotDefinition {
  /** A separate compiler (WAMR's wamrc); without it the runtime's own CLI compiles. */
  compiler?: ToolDefinition;
  /** Arguments that compile `input` into `output` (the file, or the cache directory, to fill). */
  compileArgs(input: string, output: string): string[];
  /** What the compile writes: one file, or a compilation cache directory the runtime reads. */
  output: { kind: 'file'; extension: string } | { kind: 'directory' };
  /** The arguments of a run that uses `precompiled` (what compileArgs wrote) for `spec`. */
  runArgs(spec: RunSpec, precompiled: string, version: string | undefined): string[];
}

/**
 * How one standalone Wasm runtime CLI is called. Written from each project's documented CLI
 * (shared/notes/wasm-containers-facts.md) and checked against the real binaries where CI builds
 * them (wasmtime, wazero, wasmer): directory mapping in particular differs between them.
 */
export interface WasmCliDefinition extends ToolDefinition {
  id: 'wasmtime' | 'wazero' | 'wasmedge' | 'wasmer' | 'iwasm';
  displayName: string;
  buildArgs(spec: RunSpec, version: string | undefined): string[];
  capabilities: RuntimeCapabilities;
  aot?: AotDefinition;
}

const semver = (re: RegExp) => (output: string) => re.exec(output)?.[1];
const major = (version: string | undefined) =>
  version ? Number(version.split('.')[0]) : undefined;
const envPairs = (spec: RunSpec) => Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
/** The run of a compiled file: the plain run with the module replaced by it. */
const runCompiledFile =
  (buildArgs: WasmCliDefinition['buildArgs']) =>
  (spec: RunSpec, precompiled: string, version: string | undefined) =>
    buildArgs({ ...spec, artifact: precompiled }, version);

/** `wasmtime run OPTIONS… MODULE ARGS…`, with `extra` options first. */
const wasmtimeArgs = (spec: RunSpec, extra: string[] = []): string[] => [
  'run',
  ...extra,
  ...(spec.dirs ?? []).flatMap((d) => ['--dir', `${d.host}::${d.guest}`]),
  ...envPairs(spec).flatMap((kv) => ['--env', kv]),
  ...(spec.memoryLimitBytes ? ['-W', `max-memory-size=${spec.memoryLimitBytes}`] : []),
  spec.artifact,
  ...(spec.args ?? []),
];

export const WASMTIME: WasmCliDefinition = {
  id: 'wasmtime',
  displayName: 'Wasmtime',
  executable: 'wasmtime',
  versionArgs: ['--version'],
  // "wasmtime 25.0.1 (b4faaf7a7 2024-09-23)", older "wasmtime-cli 12.0.1"
  parseVersion: semver(/wasmtime(?:-cli)? (\d+\.\d+\.\d+\S*)/),
  // wasmtime keeps what it compiles in ~/.cache/wasmtime and loads it at the next start (on by
  // default): the plain variant turns it off so that every start compiles, as a JIT start does
  // (with it on, "wasmtime" measured a cached AOT start: 4 ms where a compiling start takes 75)
  buildArgs: (spec, version) =>
    wasmtimeArgs(spec, (major(version) ?? 14) >= 14 ? ['-C', 'cache=n'] : ['--disable-cache']),
  capabilities: {
    wasiPreview1: true,
    components: true,
    aot: 'wasmtime compile → .cwasm (run with --allow-precompiled)',
    dirMapping: '--dir HOST::GUEST',
    limits: ['memory (-W max-memory-size)'],
  },
  install: 'Install Wasmtime (cargo install wasmtime-cli, or a release from docs.wasmtime.dev).',
  aot: {
    compileArgs: (input, output) => ['compile', '-o', output, input],
    output: { kind: 'file', extension: '.cwasm' },
    // a precompiled .cwasm is native code: wasmtime runs it only when told to trust it (and
    // never looks it up in its compile cache)
    runArgs: (spec, precompiled) =>
      wasmtimeArgs({ ...spec, artifact: precompiled }, ['--allow-precompiled']),
  },
};

const wazeroArgs = (spec: RunSpec, cacheDir?: string): string[] => [
  'run',
  ...(cacheDir ? [`-cachedir=${cacheDir}`] : []),
  // Go's flag syntax: one argument per flag; HOST:GUEST (wazero splits at the last colon)
  ...(spec.dirs ?? []).map((d) => `-mount=${d.host}:${d.guest}`),
  ...envPairs(spec).map((kv) => `-env=${kv}`),
  spec.artifact,
  // flags end at the module; "--" keeps a first guest argument "--" (wazero drops one leading "--")
  ...(spec.args?.length ? ['--', ...spec.args] : []),
];

export const WAZERO: WasmCliDefinition = {
  id: 'wazero',
  displayName: 'wazero',
  executable: 'wazero',
  versionArgs: ['version'],
  // "v1.12.0" (a build from a module version), "dev" from a checkout: that one does not parse
  parseVersion: semver(/^v?(\d+\.\d+\.\d+\S*)/m),
  buildArgs: (spec) => wazeroArgs(spec),
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wazero compile -cachedir (compilation cache, reused by run -cachedir)',
    dirMapping: '-mount=HOST:GUEST',
    limits: [],
  },
  install:
    'Install wazero (go install github.com/tetratelabs/wazero/cmd/wazero@latest, or a release from wazero.io).',
  aot: {
    compileArgs: (input, output) => ['compile', `-cachedir=${output}`, input],
    output: { kind: 'directory' },
    runArgs: (spec, cacheDir) => wazeroArgs(spec, cacheDir),
  },
};

const wasmedgeArgs = (spec: RunSpec): string[] => [
  ...(spec.dirs ?? []).flatMap((d) => ['--dir', `${d.guest}:${d.host}`]),
  ...envPairs(spec).flatMap((kv) => ['--env', kv]),
  ...(spec.memoryLimitBytes
    ? ['--memory-page-limit', String(Math.ceil(spec.memoryLimitBytes / 65536))]
    : []),
  spec.artifact,
  ...(spec.args ?? []),
];

export const WASMEDGE: WasmCliDefinition = {
  id: 'wasmedge',
  displayName: 'WasmEdge',
  executable: 'wasmedge',
  versionArgs: ['--version'],
  // "wasmedge version 0.14.1"
  parseVersion: semver(/version (\d+\.\d+\.\d+\S*)/),
  buildArgs: wasmedgeArgs,
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wasmedge compile (universal .wasm with native code)',
    dirMapping: '--dir GUEST:HOST',
    limits: ['memory (--memory-page-limit)', 'time (--time-limit)'],
  },
  install: 'Install WasmEdge (see wasmedge.org/docs).',
  // the universal output keeps the module runnable and adds native code that wasmedge runs
  aot: {
    compileArgs: (input, output) => ['compile', input, output],
    output: { kind: 'file', extension: '.aot.wasm' },
    runArgs: runCompiledFile(wasmedgeArgs),
  },
};

const wasmerArgs = (spec: RunSpec, version: string | undefined): string[] => {
  // Wasmer 7 maps directories with --volume HOST:GUEST; before it, --mapdir GUEST:HOST.
  const volumes = (major(version) ?? 7) >= 7;
  return [
    'run',
    // wasmer run keeps what it compiles in ~/.wasmer/cache/compiled and loads it on the next start:
    // the plain variant compiles at every start (as wasmtime's and wazero's do), wasmer-aot a .wasmu
    '--disable-cache',
    ...(spec.dirs ?? []).flatMap((d) =>
      volumes ? ['--volume', `${d.host}:${d.guest}`] : ['--mapdir', `${d.guest}:${d.host}`],
    ),
    ...envPairs(spec).flatMap((kv) => ['--env', kv]),
    spec.artifact,
    '--',
    ...(spec.args ?? []),
  ];
};

export const WASMER: WasmCliDefinition = {
  id: 'wasmer',
  displayName: 'Wasmer',
  executable: 'wasmer',
  versionArgs: ['--version'],
  // "wasmer 4.3.5"
  parseVersion: semver(/wasmer(?:-cli)? (\d+\.\d+\.\d+\S*)/),
  buildArgs: wasmerArgs,
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wasmer compile → .wasmu (wasmer run loads it)',
    dirMapping: '--volume HOST:GUEST (≥ 7), --mapdir GUEST:HOST (older)',
    limits: [],
  },
  install: 'Install Wasmer (cargo install wasmer-cli, or see docs.wasmer.io).',
  aot: {
    compileArgs: (input, output) => ['compile', input, '-o', output],
    output: { kind: 'file', extension: '.wasmu' },
    runArgs: runCompiledFile(wasmerArgs),
  },
};

const iwasmArgs = (spec: RunSpec): string[] => [
  ...(spec.dirs ?? []).map((d) => `--map-dir=${d.guest}::${d.host}`),
  ...envPairs(spec).map((kv) => `--env=${kv}`),
  spec.artifact,
  ...(spec.args ?? []),
];

export const WAMRC: ToolDefinition = {
  executable: 'wamrc',
  versionArgs: ['--version'],
  // "wamrc 2.2.0"
  parseVersion: semver(/wamrc (\d+\.\d+\.\d+\S*)/),
  install:
    "Build WAMR's wamrc (bytecodealliance/wasm-micro-runtime, wamr-compiler) with the same version as iwasm.",
};

export const IWASM: WasmCliDefinition = {
  id: 'iwasm',
  displayName: 'WAMR (iwasm)',
  executable: 'iwasm',
  versionArgs: ['--version'],
  // "iwasm 2.2.0"
  parseVersion: semver(/iwasm (\d+\.\d+\.\d+\S*)/),
  buildArgs: iwasmArgs,
  capabilities: {
    wasiPreview1: true,
    components: false,
    aot: 'wamrc → .aot (iwasm runs it directly)',
    dirMapping: '--map-dir=GUEST::HOST',
    limits: ['heap (--heap-size)', 'stack (--stack-size)'],
  },
  install: "Build or install WAMR's iwasm (bytecodealliance/wasm-micro-runtime, product-mini).",
  aot: {
    compiler: WAMRC,
    compileArgs: (input, output) => ['-o', output, input],
    output: { kind: 'file', extension: '.aot' },
    runArgs: runCompiledFile(iwasmArgs),
  },
};

export const WASM_CLI_DEFINITIONS = [WASMTIME, WAZERO, WASMEDGE, WASMER, IWASM];
