import path from 'node:path';
import type { BuildArgs } from './build-command';
import { parseArgs } from 'node:util';
import { parsePercent } from '../core/profile/baseline';

export class UsageError extends Error {
  readonly usage = true;
}

/** By its mark, not its class: each command is a bundle of its own with its own copy of this one. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && (e as Partial<UsageError>).usage === true;
}

export const USAGE = `wasm-containers — run and profile WebAssembly containers against their native counterparts

Usage:
  wasm-containers profile [PATH | SPEC.json | Dockerfile] [options] [-- ARGS...]
      PATH: a .wasm module or a folder holding one (default: .). The native twin is the executable
      beside it with the same name and no extension (hello.wasm ↔ hello), or --native FILE.
      SPEC.json: a profile spec (wasm-containers init writes one): targets × runtimes, images, scenarios.
      Dockerfile: a FROM scratch wasm image's module vs its native counterpart (Dockerfile.native
      beside it) as a process and, with a Docker engine, as an image under runc.
      --native FILE          the native counterpart to compare with
      --runtime ID|all       Wasm runtime(s) for the module, repeatable; all: every one available (JIT
                             and AOT). Default: $WASM_CONTAINERS_RUNTIME, else node-wasi (Node's WASI)
      --runtime-path ID=PATH a runtime's executable (wasmtime=/opt/bin/wasmtime, node=…), repeatable;
                             also WASM_CONTAINERS_RUNTIME_PATHS=ID=PATH,ID=PATH (the flag wins)
      --runs N               measured runs per target (default 10)
      --warmup N             warmup runs per target, not counted (default 2)
      --order ORDER          interleaved (default) or sequential
      --markers START,STOP   marker lines that split runs into startup / run / shutdown
      --timeout SECONDS      per-run timeout; a run over it is killed and recorded as failed (default 60)
      --export-json FILE     write the full result (every raw sample) as JSON
      --export-markdown FILE write a Markdown table
      --export-csv FILE      write one CSV row per run
      --export-html FILE     write a standalone HTML report (charts; opens offline in a browser)
      --results-dir DIR      where results are kept (default: .wasm-containers/runs)
      --json                 print the result JSON on stdout instead of the table
      --storm N,N,...        start storms: N sequential starts each (e.g. 1,10,100)
      --density N,N,...      N concurrent instances kept alive (arguments: sleep 300, or the spec's) that print
                             a ready marker (--ready-marker, default Starting); memory per instance
      --ready-marker TEXT    the line a density instance prints once it is up
      --memory-interval MS   sample resident memory every MS during one run
      --no-cold-start        skip the repeated cold starts (scenarios only)
      --baseline FILE        compare cold-start medians with a stored result
      --fail-if-slower PCT   with --baseline: exit 3 when a target is more than PCT slower (e.g. 10%)
  wasm-containers init [DIR]
      writes DIR/wasm-containers.profile.json for the module there and its native twin
  wasm-containers run MODULE.wasm|Dockerfile [--runtime ID] [--runtime-path ID=PATH]...
        [--dir HOST::GUEST]... [--env K=V]... [-- ARGS...]
      runs the module (default runtime: $WASM_CONTAINERS_RUNTIME, else node-wasi, Node's built-in WASI)
      and exits with its exit code
  wasm-containers build DOCKERFILE|MODULE.wasm [--output oci-layout:DIR|oci-archive:FILE|docker-archive:FILE]
        [--push REGISTRY/REPO[:TAG]] [--platform wasi/wasm|wasip1/wasm|wasip2/wasm] [--artifact]
        [--native DOCKERFILE] [--tag NAME:TAG] [--compression-level 1-9 (default 6, as Docker)] [--json]
      writes a reproducible OCI image without any daemon (FROM scratch Dockerfiles or a bare module);
      --artifact: the CNCF Wasm OCI artifact form; --native: the native twin beside it in one index;
      --push: uploads it with the distribution API (loopback registries over HTTP; credentials from
      WASM_CONTAINERS_REGISTRY_USER/PASSWORD) before anything is written locally
  wasm-containers validate FILE.wasm [--json]
      Checks every rule a runtime applies before compiling (encoding, limits, indices, the typing of
      every instruction), with the proposals of the V8 it runs on; the first problem with its byte
      offset. A component's nested core modules are validated, its own sections only decoded.
      Exit code 0 valid, 1 invalid.
  wasm-containers inspect FILE.wasm [--json] [--wat FUNCTION] [--no-scan]
      what a core module or component is and what eats its bytes: sections, imports/exports, WASI
      version, features, the runtimes that can run it, size by section and function, strippable
      bytes; --json: the documented schema (schemas/inspect.schema.json); --wat: one function's
      text format (an index or a name); --no-scan: skip reading the code for features
  wasm-containers new c|rust|tinygo|wat DIR [--name NAME]
      a ready project: the program, a Wasm Dockerfile and its native counterpart, build script and tasks
  wasm-containers wat2wasm IN.wat [OUT.wasm]
      compiles WebAssembly text (wabt.js): no toolchain needed
  wasm-containers runtimes [--json] [--runtime-path ID=PATH]...
      lists every runtime found (Wasm CLIs, Docker/Podman OCI runtimes and shims) with version and
      capabilities, and for each missing one why and how to get it
  wasm-containers --version | --help`;

export interface ProfileArgs {
  command: 'profile';
  path: string;
  native?: string;
  runtimes: string[];
  /** undefined: the spec's value, else the default */
  runs?: number;
  warmup?: number;
  order?: 'interleaved' | 'sequential';
  markers?: [string, string];
  timeoutMs?: number;
  storm?: number[];
  density?: number[];
  readyMarker: string;
  memoryIntervalMs?: number;
  coldStart: boolean;
  baseline?: string;
  failIfSlowerPct?: number;
  exportJson?: string;
  exportMarkdown?: string;
  exportCsv?: string;
  exportHtml?: string;
  resultsDir?: string;
  json: boolean;
  args: string[];
  /** --runtime-path ID=PATH pairs, as given (see cli/hints.ts runtimePaths). */
  runtimePath: string[];
}

export interface RunArgs {
  command: 'run';
  module: string;
  /** undefined: $WASM_CONTAINERS_RUNTIME, else node-wasi */
  runtime?: string;
  dirs: Array<{ host: string; guest: string }>;
  env: Record<string, string>;
  args: string[];
  runtimePath: string[];
}

export interface InspectArgs {
  command: 'inspect';
  file: string;
  json: boolean;
  /** Print the text format of this function (index or name). */
  wat?: string;
  /** Skip reading every instruction (faster; no "features used in code"). */
  scan: boolean;
}

export interface NewArgs {
  command: 'new';
  template: string;
  dir: string;
  name: string;
}

export interface Wat2WasmArgs {
  command: 'wat2wasm';
  input: string;
  output: string;
}

export interface ValidateArgs {
  command: 'validate';
  file: string;
  json: boolean;
}

export type CliArgs =
  | ProfileArgs
  | RunArgs
  | BuildArgs
  | InspectArgs
  | NewArgs
  | Wat2WasmArgs
  | ValidateArgs
  | { command: 'runtimes'; json: boolean; runtimePath: string[] }
  | { command: 'init'; dir: string }
  | { command: 'help' }
  | { command: 'version' };

function parseOwn<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
): number;
function positiveInt(
  name: string,
  value: string | undefined,
  fallback: undefined,
  min: number,
): number | undefined;
function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number | undefined,
  min: number,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} expects a whole number ≥ ${min}, got '${value}'`);
  return n;
}

export function parseCli(argv: string[]): CliArgs {
  const dashdash = argv.indexOf('--');
  const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const passthrough = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  const [command, ...rest] = own;
  // `wasm-containers build --help` as well as `wasm-containers --help` (never a program's own --help after --)
  if (command === undefined || command === 'help' || own.some((a) => a === '--help' || a === '-h'))
    return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'init') {
    if (rest.length > 1) throw new UsageError('init takes at most one DIR');
    return { command: 'init', dir: rest[0] ?? '.' };
  }
  if (command === 'build') {
    const { values, positionals } = parseOwn(rest, {
      platform: { type: 'string' },
      artifact: { type: 'boolean' },
      native: { type: 'string' },
      output: { type: 'string' },
      push: { type: 'string' },
      tag: { type: 'string' },
      json: { type: 'boolean' },
      'compression-level': { type: 'string' },
    });
    const level = positiveInt('compression-level', values['compression-level'], undefined, 1);
    if (level !== undefined && level > 9)
      throw new UsageError(`--compression-level is 1 to 9, got ${level}`);
    if (positionals.length !== 1)
      throw new UsageError('build expects one DOCKERFILE or MODULE.wasm');
    if (!values.output && !values.push)
      throw new UsageError(
        'build needs --output oci-layout:DIR, oci-archive:FILE or docker-archive:FILE, or --push REGISTRY/REPO[:TAG]',
      );
    return {
      command: 'build',
      source: positionals[0],
      platform: values.platform,
      artifact: values.artifact ?? false,
      native: values.native,
      output: values.output,
      push: values.push,
      tag: values.tag,
      compressionLevel: level,
      json: values.json ?? false,
    };
  }
  if (command === 'new') {
    const { values, positionals } = parseOwn(rest, { name: { type: 'string' } });
    if (positionals.length !== 2)
      throw new UsageError('new expects TEMPLATE (c, rust, tinygo, wat) and DIR');
    return {
      command: 'new',
      template: positionals[0],
      dir: positionals[1],
      name: values.name ?? path.basename(path.resolve(positionals[1])),
    };
  }
  if (command === 'wat2wasm') {
    const { positionals } = parseOwn(rest, {});
    if (positionals.length < 1 || positionals.length > 2)
      throw new UsageError('wat2wasm expects IN.wat [OUT.wasm]');
    return {
      command: 'wat2wasm',
      input: positionals[0],
      output: positionals[1] ?? positionals[0].replace(/\.wat$/, '') + '.wasm',
    };
  }
  if (command === 'validate') {
    const { values, positionals } = parseOwn(rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('validate expects one FILE.wasm');
    return { command: 'validate', file: positionals[0], json: values.json ?? false };
  }
  if (command === 'inspect') {
    const { values, positionals } = parseOwn(rest, {
      json: { type: 'boolean' },
      wat: { type: 'string' },
      'no-scan': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('inspect expects one FILE.wasm');
    return {
      command: 'inspect',
      file: positionals[0],
      json: values.json ?? false,
      wat: values.wat,
      scan: !values['no-scan'],
    };
  }
  if (command === 'runtimes') {
    const { values, positionals } = parseOwn(rest, {
      json: { type: 'boolean' },
      'runtime-path': { type: 'string', multiple: true },
    });
    if (positionals.length > 0)
      throw new UsageError(`runtimes takes no arguments, got ${positionals.join(' ')}`);
    return {
      command: 'runtimes',
      json: values.json ?? false,
      runtimePath: values['runtime-path'] ?? [],
    };
  }
  if (command === 'run') {
    const { values, positionals } = parseOwn(rest, {
      runtime: { type: 'string' },
      'runtime-path': { type: 'string', multiple: true },
      dir: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
    });
    if (positionals.length !== 1)
      throw new UsageError('run expects exactly one MODULE.wasm (module arguments go after --)');
    const dirs = (values.dir ?? []).map((d) => {
      const [host, guest] = d.split('::');
      if (!host) throw new UsageError(`--dir expects HOST[::GUEST], got '${d}'`);
      return { host, guest: guest ?? host };
    });
    const env: Record<string, string> = {};
    for (const kv of values.env ?? []) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env expects KEY=VALUE, got '${kv}'`);
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    return {
      command: 'run',
      module: positionals[0],
      runtime: values.runtime,
      dirs,
      env,
      args: passthrough,
      runtimePath: values['runtime-path'] ?? [],
    };
  }
  if (command !== 'profile') throw new UsageError(`unknown command '${command}'`);
  const { values, positionals } = parseOwn(rest, {
    native: { type: 'string' },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    order: { type: 'string' },
    markers: { type: 'string' },
    timeout: { type: 'string' },
    'export-json': { type: 'string' },
    'export-markdown': { type: 'string' },
    'export-csv': { type: 'string' },
    'export-html': { type: 'string' },
    'results-dir': { type: 'string' },
    json: { type: 'boolean' },
    runtime: { type: 'string', multiple: true },
    'runtime-path': { type: 'string', multiple: true },
    storm: { type: 'string' },
    density: { type: 'string' },
    'ready-marker': { type: 'string' },
    'memory-interval': { type: 'string' },
    'no-cold-start': { type: 'boolean' },
    baseline: { type: 'string' },
    'fail-if-slower': { type: 'string' },
  });
  if (positionals.length > 1)
    throw new UsageError(`profile takes one PATH, got ${positionals.join(' ')}`);
  const order = values.order;
  if (order !== undefined && order !== 'interleaved' && order !== 'sequential')
    throw new UsageError(`--order is interleaved or sequential, got '${order}'`);
  const counts = (name: string, v: string | undefined) =>
    v?.split(',').map((c) => positiveInt(name, c.trim(), 1, 1));
  let failIfSlowerPct: number | undefined;
  if (values['fail-if-slower'] !== undefined) {
    try {
      failIfSlowerPct = parsePercent(values['fail-if-slower']);
    } catch (e) {
      throw new UsageError(`--fail-if-slower: ${(e as Error).message}`);
    }
    if (!values.baseline) throw new UsageError('--fail-if-slower needs --baseline FILE');
  }
  let markers: [string, string] | undefined;
  if (values.markers !== undefined) {
    const parts = values.markers.split(',');
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw new UsageError(`--markers expects START,STOP, got '${values.markers}'`);
    markers = [parts[0], parts[1]];
  }
  return {
    command: 'profile',
    path: positionals[0] ?? '.',
    native: values.native,
    runtimes: values.runtime ?? [],
    runs: positiveInt('runs', values.runs, undefined, 1),
    warmup: positiveInt('warmup', values.warmup, undefined, 0),
    order,
    markers,
    timeoutMs:
      values.timeout === undefined
        ? undefined
        : positiveInt('timeout', values.timeout, 60, 1) * 1000,
    storm: counts('storm', values.storm),
    density: counts('density', values.density),
    readyMarker: values['ready-marker'] ?? 'Starting',
    memoryIntervalMs: positiveInt('memory-interval', values['memory-interval'], undefined, 1),
    coldStart: !values['no-cold-start'],
    baseline: values.baseline,
    failIfSlowerPct,
    exportJson: values['export-json'],
    exportMarkdown: values['export-markdown'],
    exportCsv: values['export-csv'],
    exportHtml: values['export-html'],
    resultsDir: values['results-dir'],
    json: values.json ?? false,
    args: passthrough,
    runtimePath: values['runtime-path'] ?? [],
  };
}
