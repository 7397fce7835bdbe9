import type { ComponentInfo, CoreModuleInfo, WasmBinaryInfo } from './model';

export type Abi =
  | 'wasi-preview1'
  | 'wasi-preview0'
  | 'wasi-preview2'
  | 'wasi-preview3'
  | 'canonical-abi'
  | 'wasi-threads'
  | 'wasix'
  | 'go-js'
  | 'emscripten'
  | 'wasm-bindgen'
  | 'napi'
  | 'dynamic-linking'
  | 'unknown';

export interface Classification {
  kind: 'core-module' | 'component';
  /**
   * "preview1", "preview2", "preview3" (a component importing or exporting WASI 0.3 interfaces,
   * which needs the component model's async ABI), "preview0" (wasi_unstable) or undefined when the
   * binary uses no WASI.
   */
  wasi?: 'preview0' | 'preview1' | 'preview2' | 'preview3';
  abis: Abi[];
  /** WASI preview1 functions imported (fd_write, path_open, sock_accept …), sorted. */
  wasiFunctions: string[];
  /**
   * WASI preview2 interfaces imported by a component (wasi:cli/stdout@0.2.0 …), or by a core module
   * through the canonical ABI (a module made to be wrapped into a component).
   */
  wasiInterfaces: string[];
  /** command: exports _start (or wasi:cli/run); reactor: exports _initialize; library otherwise. */
  entry: 'command' | 'reactor' | 'library';
  /** What the ABIs that the import modules alone do not name were recognised by. */
  evidence?: string[];
  /** Imports no known ABI explains, grouped by module. */
  otherImports: { module: string; names: string[] }[];
  /** Capabilities the imports ask for: "filesystem", "sockets", "clocks", "random", "environment", "args". */
  capabilities: string[];
  /** Proposals the structure proves are used (types, memories, tables, tags, segments). */
  features: string[];
  /** Proposals the toolchain declares in target_features ("+" entries): enabled when compiling, maybe unused. */
  declaredFeatures: string[];
}

const GO_MODULES = new Set(['gojs', 'go']);
/** Import modules of the component model's canonical ABI: "wasi:io/poll@0.2.0", "[export]local:app/run", "$root". */
const CANONICAL_ABI_MODULE = /^(\[export\])?([a-z0-9-]+:[a-z0-9-]+\/[a-z0-9-]+|\$root)/;
const TARGET_FEATURE_NAMES: Record<string, string> = {
  simd128: 'simd',
  'relaxed-simd': 'relaxed-simd',
  atomics: 'threads',
  'bulk-memory': 'bulk-memory',
  'bulk-memory-opt': 'bulk-memory',
  'sign-ext': 'sign-extension',
  'nontrapping-fptoint': 'nontrapping-fptoint',
  'reference-types': 'reference-types',
  multivalue: 'multi-value',
  'exception-handling': 'exceptions',
  'tail-call': 'tail-call',
  'extended-const': 'extended-const',
  multimemory: 'multi-memory',
  memory64: 'memory64',
  gc: 'gc',
};

function capabilityOf(fn: string): string | undefined {
  if (fn.startsWith('sock_')) return 'sockets';
  if (fn.startsWith('path_') || fn === 'fd_prestat_get' || fn === 'fd_readdir') return 'filesystem';
  if (fn.startsWith('clock_')) return 'clocks';
  if (fn === 'random_get') return 'random';
  if (fn.startsWith('environ_')) return 'environment';
  if (fn.startsWith('args_')) return 'args';
  return undefined;
}

/** What preview2 interfaces give access to: wasi:sockets/tcp → sockets, wasi:filesystem/types → filesystem … */
function interfaceCapabilities(interfaces: string[]): string[] {
  const capabilities = new Set<string>();
  for (const i of interfaces) {
    const pkg = /^wasi:([a-z-]+)\/([a-z-]+)/.exec(i);
    if (!pkg) continue;
    if (pkg[1] === 'sockets' || pkg[1] === 'http') capabilities.add('sockets');
    else if (pkg[1] === 'filesystem') capabilities.add('filesystem');
    else if (pkg[1] === 'clocks') capabilities.add('clocks');
    else if (pkg[1] === 'random') capabilities.add('random');
    else if (pkg[2] === 'environment') capabilities.add('environment');
  }
  return [...capabilities].sort();
}

export function classify(info: WasmBinaryInfo): Classification {
  return info.kind === 'component' ? classifyComponent(info) : classifyModule(info);
}

/** Node-API, as napi-rs builds for wasm32-wasip1-threads call it (through emnapi). */
const NAPI_MODULES = new Set(['napi', 'emnapi']);
const isNapiImport = (mod: string, name: string) =>
  NAPI_MODULES.has(mod) || (mod === 'env' && /^(napi_|node_api_|emnapi_)/.test(name));
/** Emscripten's dynamic linking: the global offset table and the bases a loader relocates by. */
const isDylinkImport = (mod: string, name: string) =>
  mod === 'GOT.mem' ||
  mod === 'GOT.func' ||
  (mod === 'env' && (name === '__memory_base' || name === '__table_base'));

/**
 * Emscripten at -O2 and above with minified import names: every import from one module named by
 * a letter ("a"), each name one to three letters ("a", "b", … "Ab").
 */
function minifiedEmscripten(m: CoreModuleInfo): string | undefined {
  const modules = new Set(m.imports.map((i) => i.module));
  if (modules.size !== 1 || m.imports.length < 3) return undefined;
  const [only] = modules;
  if (!/^[a-z]$/.test(only)) return undefined;
  if (!m.imports.every((i) => /^[A-Za-z$_][A-Za-z0-9$_]{0,2}$/.test(i.name))) return undefined;
  return `every import comes from module "${only}" under a minified name (${m.imports
    .slice(0, 4)
    .map((i) => i.name)
    .join(', ')}, …): Emscripten's minified JS glue provides them`;
}

function classifyModule(m: CoreModuleInfo): Classification {
  const abis = new Set<Abi>();
  const evidence: string[] = [];
  const minified = minifiedEmscripten(m);
  if (minified) {
    abis.add('emscripten');
    evidence.push(minified);
  }
  if (m.customSections.some((c) => c.name === 'dylink.0' || c.name === 'dylink')) {
    abis.add('dynamic-linking');
    evidence.push(
      'a dylink.0 section: a dynamically linked module (Emscripten MAIN_MODULE/SIDE_MODULE, wasm-ld -shared or -pie) that only a dynamic loader can place in memory',
    );
  }
  const wasiFunctions = new Set<string>();
  const wasiInterfaces = new Set<string>();
  const other = new Map<string, string[]>();
  for (const imp of m.imports) {
    const mod = imp.module;
    if (mod === 'wasi_snapshot_preview1') {
      abis.add('wasi-preview1');
      wasiFunctions.add(imp.name);
    } else if (mod === 'wasi_unstable') {
      abis.add('wasi-preview0');
      wasiFunctions.add(imp.name);
    } else if (CANONICAL_ABI_MODULE.test(mod)) {
      abis.add('canonical-abi');
      wasiInterfaces.add(mod.replace(/^\[export\]/, ''));
    } else if (minified) continue;
    else if (mod === 'wasi' && imp.name === 'thread-spawn') abis.add('wasi-threads');
    else if (isNapiImport(mod, imp.name)) abis.add('napi');
    else if (isDylinkImport(mod, imp.name)) abis.add('dynamic-linking');
    else if (mod === 'wasix_32v1' || mod === 'wasix_64v1') abis.add('wasix');
    else if (GO_MODULES.has(mod)) abis.add('go-js');
    else if (
      mod === '__wbindgen_placeholder__' ||
      mod === 'wbg' ||
      imp.name.startsWith('__wbindgen') ||
      imp.name.startsWith('__wbg_')
    )
      abis.add('wasm-bindgen');
    else if (
      mod === 'env' &&
      /^(emscripten_|_emscripten|__syscall_|_embind|__cxa_|invoke_)/.test(imp.name)
    )
      abis.add('emscripten');
    else if (!(mod === 'env' && (imp.kind === 'memory' || imp.kind === 'table'))) {
      const names = other.get(mod) ?? [];
      names.push(imp.name);
      other.set(mod, names);
    }
  }
  // a napi-rs addon's other env imports (emnapi's helpers) and an Emscripten program's (its JS
  // library functions) are provided by the same JS host as the rest of its ABI
  if (abis.has('napi') || abis.has('emscripten') || abis.has('dynamic-linking'))
    other.delete('env');
  if (abis.has('napi'))
    evidence.push(
      'Node-API imports (napi_*, emnapi): a napi-rs addon built for wasm32-wasip1-threads, which @napi-rs/wasm-runtime loads in Node or a browser',
    );
  if (other.size) abis.add('unknown');
  const exports = new Set(m.exports.map((e) => e.name));
  return {
    kind: 'core-module',
    ...(abis.has('wasi-preview1')
      ? { wasi: 'preview1' as const }
      : abis.has('wasi-preview0')
        ? { wasi: 'preview0' as const }
        : {}),
    abis: [...abis],
    ...(evidence.length ? { evidence } : {}),
    wasiFunctions: [...wasiFunctions].sort(),
    wasiInterfaces: [...wasiInterfaces].sort(),
    entry: exports.has('_start') ? 'command' : exports.has('_initialize') ? 'reactor' : 'library',
    otherImports: [...other].map(([module, names]) => ({ module, names })),
    capabilities: [
      ...new Set([
        ...[...wasiFunctions].map(capabilityOf).filter((c): c is string => !!c),
        ...interfaceCapabilities([...wasiInterfaces]),
      ]),
    ].sort(),
    features: structuralFeatures(m),
    declaredFeatures: declaredFeatures(m),
  };
}

/** A WASI 0.3 interface: wasi:cli/stdout@0.3.0, wasi:http/handler@0.3.0-rc-2026-03-15 … */
const WASI_03 = /^wasi:[a-z0-9-]+\/[a-z0-9-]+@0\.3\./;

function classifyComponent(c: ComponentInfo): Classification {
  const wasiInterfaces = c.imports.filter((i) => i.name.startsWith('wasi:')).map((i) => i.name);
  const other = c.imports.filter((i) => !i.name.startsWith('wasi:'));
  const p3 = [...wasiInterfaces, ...c.exports.map((e) => e.name)].filter((n) => WASI_03.test(n));
  const wasi = p3.length ? 'preview3' : wasiInterfaces.length ? 'preview2' : undefined;
  return {
    kind: 'component',
    ...(wasi ? { wasi } : {}),
    ...(p3.length
      ? {
          evidence: [
            `WASI 0.3 interfaces (${p3.slice(0, 3).join(', ')}${p3.length > 3 ? ', …' : ''}): WASIp3, which needs the component model's async ABI`,
          ],
        }
      : {}),
    abis: [
      ...(wasi === 'preview3'
        ? ['wasi-preview3' as const]
        : wasi === 'preview2'
          ? ['wasi-preview2' as const]
          : []),
      ...(other.length ? ['unknown' as const] : []),
    ],
    wasiFunctions: [],
    wasiInterfaces,
    entry: c.exports.some((e) => e.name.startsWith('wasi:cli/run')) ? 'command' : 'library',
    otherImports: other.length ? [{ module: '(component)', names: other.map((i) => i.name) }] : [],
    capabilities: interfaceCapabilities(wasiInterfaces),
    features: [...new Set(c.modules.flatMap(structuralFeatures))].sort(),
    declaredFeatures: [...new Set(c.modules.flatMap(declaredFeatures))].sort(),
  };
}

function declaredFeatures(m: CoreModuleInfo): string[] {
  const f = new Set<string>();
  for (const t of m.targetFeatures ?? []) {
    const name = TARGET_FEATURE_NAMES[t.name];
    if (name && t.prefix !== '-') f.add(name);
  }
  return [...f].sort();
}

function structuralFeatures(m: CoreModuleInfo): string[] {
  const f = new Set<string>();
  if (m.memories.some((x) => x.shared)) f.add('threads');
  if (m.memories.some((x) => x.index64)) f.add('memory64');
  if (m.memories.length > 1) f.add('multi-memory');
  if (m.tables.length > 1 || m.tables.some((t) => t.elementType !== 'funcref'))
    f.add('reference-types');
  if (m.tags > 0) f.add('exceptions');
  if (m.types.some((t) => t.kind !== 'func')) f.add('gc');
  if (m.types.some((t) => (t.results?.length ?? 0) > 1)) f.add('multi-value');
  if (m.types.some((t) => [...(t.params ?? []), ...(t.results ?? [])].includes('v128')))
    f.add('simd');
  if (m.dataCount !== undefined || m.data.passive > 0) f.add('bulk-memory');
  if (m.extendedConst) f.add('extended-const');
  return [...f].sort();
}
