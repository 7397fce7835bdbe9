/**
 * Differential validation: seeded mutants of real modules judged by this project's validator, by
 * V8 (WebAssembly.validate in this Node) and by wabt (wabt.js in process, the same features
 * enabled as V8 has), counting where they agree. Used by the seeded quick run in the unit tier
 * and by bench/fuzz.mjs for longer campaigns.
 */
import { validateWasm, type ValidationFeatures } from '../../src/core/wasm/validate';
import { mutateBytes, prng } from './mutate';

/**
 * 1–8 bytes replaced in place (the size of everything stays right): the mutants that reach the
 * type checker instead of failing on a section size. `within` keeps the edits in a byte range
 * (the code section) for half of them.
 */
export function mutateInPlace(
  input: Uint8Array,
  rand: () => number,
  within?: { start: number; end: number },
): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(rand() * 8);
  const [lo, hi] = within && rand() < 0.5 ? [within.start, within.end] : [8, out.length];
  for (let e = 0; e < edits; e++) {
    const pos = lo + Math.floor(rand() * Math.max(1, hi - lo));
    if (pos < out.length)
      out[pos] = rand() < 0.5 ? Math.floor(rand() * 256) : out[pos] ^ (1 << Math.floor(rand() * 8));
  }
  return out;
}

export interface WabtLike {
  readWasm(
    bytes: Uint8Array,
    options: { readDebugNames?: boolean; check?: boolean },
    features?: Record<string, boolean>,
  ): { validate(): void; destroy(): void };
}

export interface Disagreement {
  seed: number;
  index: number;
  base: string;
  v8: boolean;
  ours: boolean;
  wabt?: boolean;
  message?: string;
  offset?: number;
  bytes: Buffer;
}

export interface DifferentialCounts {
  modules: number;
  mutants: number;
  /** mutants made by inserting, deleting, splicing and truncating (the rest: bytes replaced in place) */
  structural: number;
  /** mutants V8 accepts (the rest it rejects) */
  v8Valid: number;
  oursAgreeWithV8: number;
  oursDisagreeWithV8: number;
  /** mutants our validator stopped checking (GC, exnref): counted apart, never as agreement */
  decodedOnly: number;
  wabtAgreeWithV8: number;
  wabtDisagreeWithV8: number;
  oursAgreeWithWabt: number;
  /** of the mutants both reject: how often the byte offset we report is the one V8 reports */
  sameOffsetAsV8: number;
  bothRejected: number;
  disagreements: Disagreement[];
}

/** wabt's feature names for what V8 has here. */
export function wabtFeatures(f: ValidationFeatures): Record<string, boolean> {
  return {
    simd: f.simd,
    relaxed_simd: f['relaxed-simd'],
    threads: f.threads,
    tail_call: f['tail-call'],
    exceptions: f.exceptions,
    extended_const: f['extended-const'],
    multi_memory: f['multi-memory'],
    memory64: f.memory64,
    gc: f.gc,
    function_references: f.gc,
    mutable_globals: true,
    sat_float_to_int: true,
    sign_extension: true,
    multi_value: true,
    bulk_memory: true,
    reference_types: true,
  };
}

export function wabtValid(
  wabt: WabtLike,
  bytes: Uint8Array,
  features: Record<string, boolean>,
): boolean {
  let m;
  try {
    m = wabt.readWasm(bytes, { readDebugNames: false, check: true }, features);
    m.validate();
    return true;
  } catch {
    return false;
  } finally {
    m?.destroy();
  }
}

export function runDifferential(options: {
  /** `code`: where the code section's payload is (in-place mutants aim there half the time). */
  bases: Array<{ name: string; bytes: Uint8Array; code?: { start: number; end: number } }>;
  mutants: number;
  seed: number;
  features: ValidationFeatures;
  wabt?: WabtLike;
  keepDisagreements?: number;
}): DifferentialCounts {
  const rand = prng(options.seed);
  const wf = wabtFeatures(options.features);
  const donors = options.bases.map((b) => b.bytes);
  const c: DifferentialCounts = {
    modules: options.bases.length,
    mutants: 0,
    structural: 0,
    v8Valid: 0,
    oursAgreeWithV8: 0,
    oursDisagreeWithV8: 0,
    decodedOnly: 0,
    wabtAgreeWithV8: 0,
    wabtDisagreeWithV8: 0,
    oursAgreeWithWabt: 0,
    sameOffsetAsV8: 0,
    bothRejected: 0,
    disagreements: [],
  };
  for (let i = 0; i < options.mutants; i++) {
    const base = options.bases[i % options.bases.length];
    const structural = i % 2 === 0;
    const bytes = structural
      ? mutateBytes(base.bytes, rand, donors)
      : mutateInPlace(base.bytes, rand, base.code);
    c.mutants++;
    if (structural) c.structural++;
    const v8 = WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
    if (v8) c.v8Valid++;
    const r = validateWasm(bytes, options.features);
    const wabt = options.wabt ? wabtValid(options.wabt, bytes, wf) : undefined;
    if (wabt !== undefined) {
      if (wabt === v8) c.wabtAgreeWithV8++;
      else c.wabtDisagreeWithV8++;
      if (wabt === r.valid) c.oursAgreeWithWabt++;
    }
    if (r.checked === 'decoded-only' && r.valid) {
      c.decodedOnly++;
      continue;
    }
    if (!v8 && !r.valid) {
      c.bothRejected++;
      if (v8Offset(bytes) === r.error?.offset) c.sameOffsetAsV8++;
    }
    if (r.valid === v8) c.oursAgreeWithV8++;
    else {
      c.oursDisagreeWithV8++;
      if (c.disagreements.length < (options.keepDisagreements ?? 20))
        c.disagreements.push({
          seed: options.seed,
          index: i,
          base: base.name,
          v8,
          ours: r.valid,
          ...(wabt === undefined ? {} : { wabt }),
          message: r.error?.message,
          offset: r.error?.offset,
          bytes,
        });
    }
  }
  return c;
}

/** The offset V8 names in its CompileError ("… @+1234"). */
export function v8Offset(bytes: Uint8Array): number | undefined {
  try {
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    return undefined;
  } catch (e) {
    const m = /@\+(\d+)/.exec((e as Error).message);
    return m ? Number(m[1]) : undefined;
  }
}
