/**
 * Which runtimes can run a binary, judged from what it imports and which proposals it uses.
 *
 * Node's WASI is judged by the Node that will run the module where that is at hand (a probe:
 * WebAssembly.validate in that Node, see node-probe.ts). The CLI runtimes are judged from tables
 * keyed by their version: the rows for the versions CI builds (wasmtime 48, wazero 1.12, wasmer 7)
 * are checked against the real binaries in test/integration/runtime-verdicts.test.ts; older rows
 * come from the projects' release notes and documented options.
 */
import type { Feature } from './opcodes';

export type Verdict = 'yes' | 'maybe' | 'no';

export interface RuntimeVerdict {
  runtime: string;
  verdict: Verdict;
  reasons: string[];
  /** Options the runtime needs for this binary (e.g. ["-W", "gc=y"]), when it runs it behind some. */
  flags?: string[];
  /** What the verdict rests on: "node 20.20.2 (WebAssembly.validate)", "table for wasmtime ≥ 47" … */
  basis: string;
}

/** How a runtime version treats a feature: runs it, runs it with options, refuses it, or not known. */
type Support =
  { yes: true } | { flags: string[]; note?: string } | { no: string } | { unknown: string };

type Subject = Feature | 'threads' | 'components' | 'p3' | 'wasi-threads';

interface Row {
  /** The first version this row describes (rows are ordered newest first). */
  from: string;
  /** Support of everything not listed: post-2.0 features default to this. */
  otherwise: Support;
  support: Partial<Record<Subject, Support>>;
}

interface RuntimeTable {
  id: string;
  name: string;
  rows: Row[];
}

const YES: Support = { yes: true };
const WASM2: Subject[] = [
  'simd',
  'bulk-memory',
  'reference-types',
  'sign-extension',
  'nontrapping-fptoint',
  'multi-value',
];
const wasm2Yes = Object.fromEntries(WASM2.map((f) => [f, YES])) as Partial<
  Record<Subject, Support>
>;

const WASMTIME_37: Partial<Record<Subject, Support>> = {
  ...wasm2Yes,
  gc: { flags: ['-W', 'gc=y'] },
  'function-references': { flags: ['-W', 'function-references=y'] },
  exceptions: { flags: ['-W', 'exceptions=y'] },
  exnref: { flags: ['-W', 'exceptions=y'] },
  'legacy-exceptions': {
    no: 'wasmtime implements exceptions as exnref (try_table), not the legacy try/catch encoding',
  },
  threads: { unknown: 'shared memories need -W threads=y (and maybe -W shared-memory=y)' },
  'wasi-threads': { flags: ['-W', 'threads=y', '-S', 'threads=y'] },
  components: YES,
  // WASIp3 arrived in 37 behind these options; builds with component-model-async later made it the default
  p3: { flags: ['-W', 'component-model-async=y', '-S', 'p3=y'] },
};

const WASMTIME: RuntimeTable = {
  id: 'wasmtime',
  name: 'wasmtime',
  rows: [
    {
      // checked against the real 48.0.8 (test/integration/runtime-verdicts.test.ts) and its sources:
      // wasmparser's WASM3 set on by default, WASIp3 on in builds with component-model-async
      from: '48.0.0',
      otherwise: YES,
      support: {
        ...wasm2Yes,
        'legacy-exceptions': {
          no: 'wasmtime implements exceptions as exnref (try_table); the legacy try/catch encoding is not offered by its CLI',
        },
        threads: { flags: ['-W', 'shared-memory=y'] },
        'wasi-threads': { no: 'wasmtime 48 no longer supports wasi-threads (-S threads)' },
        components: YES,
        p3: YES,
      },
    },
    {
      // 47 turned GC and exceptions on by default
      from: '47.0.0',
      otherwise: YES,
      support: {
        ...WASMTIME_37,
        gc: YES,
        'function-references': YES,
        exceptions: YES,
        exnref: YES,
      },
    },
    { from: '37.0.0', otherwise: YES, support: WASMTIME_37 },
    {
      from: '0.0.0',
      otherwise: { unknown: 'not tabulated for wasmtime before 37' },
      support: {
        ...wasm2Yes,
        components: YES,
        p3: { no: 'WASIp3 needs wasmtime ≥ 37' },
      },
    },
  ],
};

const WAZERO: RuntimeTable = {
  id: 'wazero',
  name: 'wazero',
  rows: [
    {
      // wazero's CLI runs api.CoreFeaturesV2 (WebAssembly 2.0); threads are a library option it does not set
      from: '1.0.0',
      otherwise: { no: 'wazero implements WebAssembly 2.0 only' },
      support: {
        ...wasm2Yes,
        threads: { no: "wazero's CLI does not enable its experimental threads support" },
        components: { no: 'wazero does not run components' },
      },
    },
  ],
};

const WASMER: RuntimeTable = {
  id: 'wasmer',
  name: 'Wasmer',
  rows: [
    {
      // wasmer-cli 7.4.2 with Cranelift only, as CI builds it, read from its sources: `wasmer run`
      // detects the proposals a module uses (wasmer-types Features::detect_from_wasm) and picks a
      // backend that supports them; multi-memory and extended-const are on by default, Cranelift
      // adds exceptions (try_table) and relaxed SIMD; its translator refuses tail calls and the
      // legacy try/catch, and the validator is never given memory64. The --enable-* options cannot
      // add what the backend lacks ("No backends support the required features").
      from: '7.0.0',
      otherwise: { no: 'not supported by Wasmer' },
      support: {
        ...wasm2Yes,
        threads: YES,
        'multi-memory': YES,
        'extended-const': YES,
        'relaxed-simd': YES,
        exceptions: YES,
        exnref: YES,
        'tail-call': { no: "Wasmer's Cranelift backend does not implement tail calls" },
        memory64: { no: "Wasmer's Cranelift backend does not support memory64" },
        'legacy-exceptions': {
          no: "Wasmer's Cranelift backend implements exceptions as exnref (try_table), not the legacy try/catch",
        },
        gc: { no: 'Wasmer has no Wasm GC' },
        'function-references': { no: 'Wasmer has no typed function references' },
        components: { no: 'Wasmer does not run components' },
      },
    },
    {
      // wasmer-cli 5–6's --enable-* options (src/backend.rs); threads are on by default
      from: '5.0.0',
      otherwise: { no: 'not supported by Wasmer' },
      support: {
        ...wasm2Yes,
        threads: YES,
        'tail-call': { flags: ['--enable-tail-call'] },
        'multi-memory': { flags: ['--enable-multi-memory'] },
        memory64: { flags: ['--enable-memory64'] },
        'extended-const': { flags: ['--enable-extended-const'] },
        'relaxed-simd': { flags: ['--enable-relaxed-simd'] },
        exceptions: { flags: ['--enable-exceptions'] },
        'legacy-exceptions': { flags: ['--enable-exceptions'] },
        exnref: { flags: ['--enable-exceptions'] },
        gc: { no: 'Wasmer has no Wasm GC' },
        'function-references': { no: 'Wasmer has no typed function references' },
        components: { no: 'Wasmer does not run components' },
      },
    },
    {
      from: '0.0.0',
      otherwise: { unknown: 'not tabulated for Wasmer before 5' },
      support: { ...wasm2Yes, components: { no: 'Wasmer does not run components' } },
    },
  ],
};

const WASMEDGE: RuntimeTable = {
  id: 'wasmedge',
  name: 'WasmEdge',
  rows: [
    {
      // 0.16 turned the WebAssembly 3.0 proposals on and deprecated their --enable-* options
      // (WasmEdge#4996; 0.18 removes them, so passing one is an "unknown option" error)
      from: '0.16.0',
      otherwise: YES,
      support: {
        ...wasm2Yes,
        memory64: { no: 'WasmEdge ≥ 0.16 has no memory64 option' },
        threads: { flags: ['--enable-threads'] },
        exnref: { unknown: 'WasmEdge documents exception handling, not which encoding' },
        components: {
          no: 'WasmEdge does not run components (its component support is experimental)',
        },
      },
    },
    {
      from: '0.14.0',
      otherwise: { unknown: 'not tabulated for WasmEdge 0.14–0.15' },
      support: {
        ...wasm2Yes,
        gc: { flags: ['--enable-gc'] },
        'function-references': { flags: ['--enable-function-reference'] },
        exceptions: { flags: ['--enable-exception-handling'] },
        'legacy-exceptions': { flags: ['--enable-exception-handling'] },
        'tail-call': { flags: ['--enable-tail-call'] },
        'extended-const': { flags: ['--enable-extended-const'] },
        'multi-memory': { flags: ['--enable-multi-memory'] },
        'relaxed-simd': { flags: ['--enable-relaxed-simd'] },
        threads: { flags: ['--enable-threads'] },
        components: { no: 'WasmEdge does not run components' },
      },
    },
    {
      from: '0.0.0',
      otherwise: { unknown: 'not tabulated for WasmEdge before 0.14' },
      support: { ...wasm2Yes, components: { no: 'WasmEdge does not run components' } },
    },
  ],
};

const IWASM: RuntimeTable = {
  id: 'iwasm',
  name: 'WAMR iwasm',
  rows: [
    {
      // product-mini's default CMake options: WAMR_BUILD_TAIL_CALL, _MEMORY64, _MULTI_MEMORY,
      // _EXTENDED_CONST_EXPR, _EXCE_HANDLING, _GC and _SHARED_MEMORY are all 0
      from: '0.0.0',
      otherwise: { no: "not in iwasm's default build" },
      support: {
        ...wasm2Yes,
        simd: {
          unknown: 'SIMD runs in AOT (wamrc) and, from WAMR 2.2, in the fast interpreter',
        },
        'tail-call': { no: 'tail calls need a WAMR built with WAMR_BUILD_TAIL_CALL=1' },
        memory64: { no: 'memory64 needs a WAMR built with WAMR_BUILD_MEMORY64=1' },
        'multi-memory': {
          no: 'multiple memories need a WAMR built with WAMR_BUILD_MULTI_MEMORY=1',
        },
        'extended-const': {
          no: 'extended constant expressions need a WAMR built with WAMR_BUILD_EXTENDED_CONST_EXPR=1',
        },
        gc: { no: 'GC needs a WAMR built with WAMR_BUILD_GC=1' },
        threads: { no: 'shared memory needs a WAMR built with WAMR_BUILD_SHARED_MEMORY=1' },
        'wasi-threads': {
          no: 'wasi-threads needs a WAMR built with WAMR_BUILD_LIB_WASI_THREADS=1',
        },
        components: { no: 'WAMR does not run components' },
      },
    },
  ],
};

/** Node's WASI without a probe: what Node's V8 validates, by Node major version. */
const NODE: RuntimeTable = {
  id: 'node-wasi',
  name: 'Node WASI',
  rows: [
    {
      from: '24.0.0',
      otherwise: YES,
      support: {
        ...wasm2Yes,
        exnref: { unknown: 'exnref (try_table) depends on the V8 of this Node' },
        'wasi-threads': { no: 'Node WASI starts no threads (wasi-threads is not implemented)' },
        components: { no: "Node's WASI runs preview1 core modules, not components" },
      },
    },
    {
      from: '22.0.0',
      otherwise: YES,
      support: {
        ...wasm2Yes,
        memory64: { no: 'memory64 needs Node ≥ 24 (V8 13.3)' },
        exnref: { no: 'exnref (try_table) is not in the V8 of Node 22' },
        'wasi-threads': { no: 'Node WASI starts no threads (wasi-threads is not implemented)' },
        components: { no: "Node's WASI runs preview1 core modules, not components" },
      },
    },
    {
      from: '0.0.0',
      otherwise: YES,
      support: {
        ...wasm2Yes,
        gc: { no: 'Wasm GC needs Node ≥ 22' },
        'function-references': { no: 'typed function references need Node ≥ 22' },
        'multi-memory': { no: 'multiple memories need Node ≥ 22 (V8 12.0)' },
        memory64: { no: 'memory64 needs Node ≥ 24 (V8 13.3)' },
        'extended-const': { no: 'extended constant expressions need Node ≥ 21 (V8 11.4)' },
        'relaxed-simd': { no: 'relaxed SIMD needs Node ≥ 21 (V8 11.4)' },
        exnref: { no: 'exnref (try_table) is not in the V8 of Node 20' },
        'wasi-threads': { no: 'Node WASI starts no threads (wasi-threads is not implemented)' },
        components: { no: "Node's WASI runs preview1 core modules, not components" },
      },
    },
  ],
};

export const RUNTIME_TABLES = [NODE, WASMTIME, WAZERO, WASMEDGE, WASMER, IWASM];

/** a ≥ b for dotted versions ("48.0.8" ≥ "47.0.0"); non-numeric parts are ignored. */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return true;
}

function rowFor(table: RuntimeTable, version: string | undefined): Row {
  if (!version) return table.rows[0];
  return table.rows.find((r) => versionAtLeast(version, r.from)) ?? table.rows.at(-1)!;
}

export interface SupportInput {
  kind: 'core-module' | 'component';
  abis: string[];
  features: string[];
}

/** Node's own answer: WebAssembly.validate of the module in the Node that will run it. */
export interface NodeProbe {
  node: string;
  valid: boolean;
  message?: string;
}

export interface VerdictContext {
  /** Installed versions by runtime id ("wasmtime" → "48.0.8"); absent: the newest row is used. */
  versions?: Partial<Record<string, string>>;
  node?: NodeProbe;
}

const ABI_VERDICTS: Array<{ abi: string; verdict: Verdict; reason: string; except?: string }> = [
  {
    abi: 'canonical-abi',
    verdict: 'no',
    reason:
      'it imports component-model interfaces through the canonical ABI: wrap it into a component first (wasm-tools component new), then run it on a component runtime',
  },
  {
    abi: 'go-js',
    verdict: 'no',
    reason: "a Go js/wasm module needs Go's wasm_exec.js host (GOOS=js), not a WASI runtime",
  },
  {
    abi: 'napi',
    verdict: 'no',
    reason:
      'a napi-rs (Node-API) addon needs its JS host (@napi-rs/wasm-runtime with emnapi), not a WASI runtime',
  },
  {
    abi: 'dynamic-linking',
    verdict: 'no',
    reason:
      'a dynamically linked module (dylink.0) needs a dynamic loader to place it in memory and resolve its GOT imports',
  },
  { abi: 'wasm-bindgen', verdict: 'no', reason: 'wasm-bindgen imports need its generated JS glue' },
  { abi: 'wasix', verdict: 'no', reason: 'WASIX imports run on Wasmer only', except: 'wasmer' },
  {
    abi: 'emscripten',
    verdict: 'maybe',
    reason: 'Emscripten env imports need the Emscripten JS glue unless built standalone',
  },
  {
    abi: 'emscripten-glue-only',
    verdict: 'no',
    reason:
      'an Emscripten module without WASI imports runs only with its JS glue (built without STANDALONE_WASM)',
  },
  {
    abi: 'unknown',
    verdict: 'maybe',
    reason: 'it imports host functions no WASI runtime provides',
  },
];

export function runtimeVerdicts(
  input: SupportInput,
  context: VerdictContext = {},
): RuntimeVerdict[] {
  return RUNTIME_TABLES.map((table) => verdictOf(table, input, context));
}

/** What V8 itself decides (whether the module compiles); the rest stays with the table. */
const HOST_SUBJECTS = new Set<Subject>(['components', 'p3', 'wasi-threads']);

function verdictOf(
  table: RuntimeTable,
  input: SupportInput,
  context: VerdictContext,
): RuntimeVerdict {
  const version = context.versions?.[table.id];
  const row = rowFor(table, version);
  const probe = table.id === 'node-wasi' ? context.node : undefined;
  const no: string[] = [];
  const maybe: string[] = [];
  const flagGroups: string[][] = [];
  if (probe && !probe.valid)
    no.push(`node ${probe.node} does not compile it: ${probe.message ?? 'invalid module'}`);
  const subjects: Subject[] = [
    ...(input.kind === 'component' ? (['components'] as const) : []),
    ...(input.abis.includes('wasi-preview3') ? (['p3'] as const) : []),
    ...(input.abis.includes('wasi-threads') ? (['wasi-threads'] as const) : []),
    ...(input.features as Subject[]),
  ];
  for (const subject of subjects) {
    if (probe && !HOST_SUBJECTS.has(subject)) continue; // V8 has answered for the proposals
    const s = row.support[subject] ?? row.otherwise;
    const what = subject === 'p3' ? 'WASIp3' : subject;
    if ('no' in s) no.push(`${what}: ${s.no}`);
    else if ('unknown' in s) maybe.push(`${what}: ${s.unknown}`);
    else if ('flags' in s) {
      if (!flagGroups.some((g) => g.join(' ') === s.flags.join(' '))) flagGroups.push(s.flags);
      maybe.push(`${what} needs ${s.flags.join(' ')}${s.note ? ` (${s.note})` : ''}`);
    }
  }
  const abis = [...input.abis];
  // Emscripten's glue provides everything when the module imports no WASI at all
  if (abis.includes('emscripten') && !abis.some((a) => a.startsWith('wasi-preview')))
    abis.splice(abis.indexOf('emscripten'), 1, 'emscripten-glue-only');
  for (const a of ABI_VERDICTS) {
    if (!abis.includes(a.abi) || a.except === table.id) continue;
    (a.verdict === 'no' ? no : maybe).push(a.reason);
  }
  const basis = probe
    ? `node ${probe.node}: WebAssembly.validate in the Node that runs it`
    : `table row for ${table.name} ≥ ${row.from} (${version ? `installed: ${version}` : 'not installed here'})`;
  const verdict: Verdict = no.length ? 'no' : maybe.length ? 'maybe' : 'yes';
  return {
    runtime: table.id,
    verdict,
    reasons: [...no, ...maybe],
    ...(flagGroups.length && !no.length ? { flags: flagGroups.flat() } : {}),
    basis,
  };
}
