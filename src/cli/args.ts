import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export const USAGE = `wasm-containers — run and profile WebAssembly containers against their native counterparts

Usage:
  wasm-containers profile [PATH] [options] [-- ARGS...]
      PATH: a .wasm module or a folder holding one (default: .). The native twin is the executable
      beside it with the same name and no extension (hello.wasm ↔ hello), or --native FILE.
      --native FILE          the native counterpart to compare with
      --runs N               measured runs per target (default 10)
      --warmup N             warmup runs per target, not counted (default 2)
      --order ORDER          interleaved (default) or sequential
      --markers START,STOP   marker lines that split runs into startup / run / shutdown
      --timeout SECONDS      per-run timeout; a run over it is killed and recorded as failed (default 60)
      --export-json FILE     write the full result (every raw sample) as JSON
      --export-markdown FILE write a Markdown table
      --export-csv FILE      write one CSV row per run
      --results-dir DIR      where results are kept (default: .wasm-containers/runs)
      --json                 print the result JSON on stdout instead of the table
  wasm-containers run MODULE.wasm [--runtime ID] [--dir HOST::GUEST]... [--env K=V]... [-- ARGS...]
      runs the module (default runtime: node-wasi, Node's built-in WASI) and exits with its exit code
  wasm-containers runtimes [--json]
      lists every runtime found (Wasm CLIs, Docker/Podman OCI runtimes and shims) with version and
      capabilities, and for each missing one why and how to get it
  wasm-containers --version | --help`;

export interface ProfileArgs {
  command: 'profile';
  path: string;
  native?: string;
  runs: number;
  warmup: number;
  order: 'interleaved' | 'sequential';
  markers?: [string, string];
  timeoutMs: number;
  exportJson?: string;
  exportMarkdown?: string;
  exportCsv?: string;
  resultsDir?: string;
  json: boolean;
  args: string[];
}

export interface RunArgs {
  command: 'run';
  module: string;
  runtime: string;
  dirs: Array<{ host: string; guest: string }>;
  env: Record<string, string>;
  args: string[];
}

export type CliArgs = ProfileArgs | RunArgs | { command: 'runtimes'; json: boolean } | { command: 'help' } | { command: 'version' };

function parseOwn<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} expects a whole number ≥ ${min}, got '${value}'`);
  return n;
}

export function parseCli(argv: string[]): CliArgs {
  const dashdash = argv.indexOf('--');
  const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const passthrough = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  const [command, ...rest] = own;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'runtimes') {
    const { values, positionals } = parseOwn(rest, { json: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`runtimes takes no arguments, got ${positionals.join(' ')}`);
    return { command: 'runtimes', json: values.json ?? false };
  }
  if (command === 'run') {
    const { values, positionals } = parseOwn(rest, { runtime: { type: 'string' }, dir: { type: 'string', multiple: true }, env: { type: 'string', multiple: true } });
    if (positionals.length !== 1) throw new UsageError('run expects exactly one MODULE.wasm (module arguments go after --)');
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
    return { command: 'run', module: positionals[0], runtime: values.runtime ?? 'node-wasi', dirs, env, args: passthrough };
  }
  if (command !== 'profile') throw new UsageError(`unknown command '${command}'`);
  const { values, positionals } = parseOwn(rest, {
    native: { type: 'string' }, runs: { type: 'string' }, warmup: { type: 'string' }, order: { type: 'string' },
    markers: { type: 'string' }, timeout: { type: 'string' }, 'export-json': { type: 'string' },
    'export-markdown': { type: 'string' }, 'export-csv': { type: 'string' }, 'results-dir': { type: 'string' }, json: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError(`profile takes one PATH, got ${positionals.join(' ')}`);
  const order = values.order ?? 'interleaved';
  if (order !== 'interleaved' && order !== 'sequential') throw new UsageError(`--order is interleaved or sequential, got '${order}'`);
  let markers: [string, string] | undefined;
  if (values.markers !== undefined) {
    const parts = values.markers.split(',');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--markers expects START,STOP, got '${values.markers}'`);
    markers = [parts[0], parts[1]];
  }
  return {
    command: 'profile',
    path: positionals[0] ?? '.',
    native: values.native,
    runs: positiveInt('runs', values.runs, 10, 1),
    warmup: positiveInt('warmup', values.warmup, 2, 0),
    order,
    markers,
    timeoutMs: positiveInt('timeout', values.timeout, 60, 1) * 1000,
    exportJson: values['export-json'],
    exportMarkdown: values['export-markdown'],
    exportCsv: values['export-csv'],
    resultsDir: values['results-dir'],
    json: values.json ?? false,
    args: passthrough,
  };
}
