/**
 * Which runtimes can run a binary, judged from what it imports and which proposals it uses. The
 * table reflects the runtimes' documented support (late 2026); "maybe" means the runtime supports
 * it behind a flag or in some configurations only, and the reason says which.
 */

export type Verdict = 'yes' | 'maybe' | 'no';

export interface RuntimeVerdict {
  runtime: string;
  verdict: Verdict;
  reasons: string[];
}

interface RuntimeProfile {
  id: string;
  name: string;
  components: boolean;
  preview1: boolean;
  unsupported: Partial<Record<string, string>>;
  flagged: Partial<Record<string, string>>;
}

const PROFILES: RuntimeProfile[] = [
  {
    id: 'node-wasi',
    name: 'Node WASI',
    components: false,
    preview1: true,
    unsupported: {
      'multi-memory': 'V8 in Node 20 has no multi-memory',
      memory64: 'memory64 is behind --experimental-wasm-memory64 in Node 20',
    },
    flagged: {
      gc: 'Wasm GC needs Node ≥ 22',
      'relaxed-simd': 'relaxed SIMD needs Node ≥ 22',
      threads: 'Node WASI starts no threads (wasi-threads is not implemented)',
    },
  },
  {
    id: 'wasmtime',
    name: 'wasmtime',
    components: true,
    preview1: true,
    unsupported: {},
    flagged: {
      threads: 'threads need -W threads -S threads',
      gc: 'GC needs -W gc',
      exceptions: 'exceptions need -W exceptions on a recent wasmtime',
      'function-references': 'needs -W function-references',
    },
  },
  {
    id: 'wasmedge',
    name: 'WasmEdge',
    components: false,
    preview1: true,
    unsupported: {},
    flagged: {
      gc: 'GC needs --enable-gc',
      exceptions: 'exceptions need --enable-exception-handling',
      memory64: 'memory64 needs --enable-memory64',
      threads: 'threads need --enable-threads',
    },
  },
  {
    id: 'wasmer',
    name: 'Wasmer',
    components: false,
    preview1: true,
    unsupported: {
      gc: 'Wasmer has no Wasm GC',
      'tail-call': 'Wasmer has no tail calls',
      'function-references': 'Wasmer has no typed function references',
    },
    flagged: {
      exceptions: 'exceptions only with the LLVM backend',
      threads: 'threads through WASIX',
    },
  },
  {
    id: 'iwasm',
    name: 'WAMR iwasm',
    components: false,
    preview1: true,
    unsupported: { gc: 'GC needs a WAMR built with WAMR_BUILD_GC' },
    flagged: {
      exceptions: 'exceptions only in the classic interpreter build',
      threads: 'threads need a build with lib-wasi-threads',
      'relaxed-simd': 'relaxed SIMD not in every build',
    },
  },
];

export interface SupportInput {
  kind: 'core-module' | 'component';
  abis: string[];
  features: string[];
}

export function runtimeVerdicts(input: SupportInput): RuntimeVerdict[] {
  return PROFILES.map((p) => {
    const no: string[] = [];
    const maybe: string[] = [];
    if (input.kind === 'component' && !p.components)
      no.push(`${p.name} does not run components (WASI preview2)`);
    if (input.abis.includes('canonical-abi'))
      no.push(
        'it imports component-model interfaces through the canonical ABI: wrap it into a component first (wasm-tools component new), then run it on a component runtime',
      );
    if (input.abis.includes('go-js'))
      no.push("a Go js/wasm module needs Go's wasm_exec.js host (GOOS=js), not a WASI runtime");
    if (input.abis.includes('emscripten'))
      maybe.push('Emscripten env imports need the Emscripten JS glue unless built standalone');
    if (input.abis.includes('wasm-bindgen'))
      no.push('wasm-bindgen imports need its generated JS glue');
    if (input.abis.includes('wasix') && p.id !== 'wasmer')
      no.push('WASIX imports run on Wasmer only');
    if (input.abis.includes('unknown'))
      maybe.push('it imports host functions no WASI runtime provides');
    for (const f of input.features) {
      if (p.unsupported[f]) no.push(p.unsupported[f]);
      else if (p.flagged[f]) maybe.push(p.flagged[f]);
    }
    const verdict: Verdict = no.length ? 'no' : maybe.length ? 'maybe' : 'yes';
    return { runtime: p.id, verdict, reasons: [...no, ...maybe] };
  });
}
