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
  wasm-containers run MODULE.wasm [-- ARGS...]
      runs the module under Node's WASI (the embedded default); exits with the module's exit code
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
  args: string[];
}

export type CliArgs = ProfileArgs | RunArgs | { command: 'help' } | { command: 'version' };

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
  if (command === 'run') {
    if (rest.length !== 1) throw new UsageError('run expects exactly one MODULE.wasm (module arguments go after --)');
    return { command: 'run', module: rest[0], args: passthrough };
  }
  if (command !== 'profile') throw new UsageError(`unknown command '${command}'`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        native: { type: 'string' }, runs: { type: 'string' }, warmup: { type: 'string' }, order: { type: 'string' },
        markers: { type: 'string' }, timeout: { type: 'string' }, 'export-json': { type: 'string' },
        'export-markdown': { type: 'string' }, 'export-csv': { type: 'string' }, 'results-dir': { type: 'string' }, json: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
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
