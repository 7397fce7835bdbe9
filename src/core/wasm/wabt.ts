import { Worker } from 'node:worker_threads';
import { bundledFile } from '../paths';
import { WHOLE_TEXT_LIMIT } from './wabt-limits';
import type { BinaryValidation } from './validate-binary';

/** The parts of wabt.js (npm "wabt", Emscripten build of WABT) the tool uses. */
interface WabtModule {
  validate(): void;
  resolveNames(): void;
  toBinary(options: { log?: boolean; write_debug_names?: boolean }): {
    buffer: Uint8Array;
    log: string;
  };
  toText(options: { foldExprs?: boolean; inlineExport?: boolean }): string;
  destroy(): void;
}
interface Wabt {
  readWasm(
    buffer: Uint8Array,
    options: { readDebugNames?: boolean; check?: boolean },
    features?: Record<string, boolean>,
  ): WabtModule;
  parseWat(filename: string, text: string, features?: Record<string, boolean>): WabtModule;
}

let loading: Promise<Wabt> | undefined;

/** wabt.js, loaded on first use from its own bundle (it is not part of the extension's start-up). */
export function loadWabt(): Promise<Wabt> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loading ??= (require(bundledFile('wabt.js')) as () => Promise<Wabt>)();
  return loading;
}

/** Every proposal wabt knows, so that validation judges the module, not our choice of flags. */
export const WABT_FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  function_references: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  gc: true,
  memory64: true,
  extended_const: true,
  relaxed_simd: true,
};

export interface WabtValidation {
  valid: boolean;
  /** wabt's own message when invalid. */
  message?: string;
  ms: number;
}

export async function validateWithWabt(bytes: Uint8Array): Promise<WabtValidation> {
  const wabt = await loadWabt();
  const t0 = performance.now();
  let module: WabtModule | undefined;
  try {
    module = wabt.readWasm(bytes, { readDebugNames: false, check: true }, WABT_FEATURES);
    module.validate();
    return { valid: true, ms: performance.now() - t0 };
  } catch (e) {
    return {
      valid: false,
      message: String((e as Error).message ?? e).trim(),
      ms: performance.now() - t0,
    };
  } finally {
    module?.destroy();
  }
}

/** Validate's answer: this project's validator (BinaryValidation) with wabt's beside it. */
export type Validation = BinaryValidation & { wabt: WabtValidation };

/** validateBinary and validateWithWabt in a worker thread, terminated when done or aborted. */
export function validateInWorker(bytes: Uint8Array, signal?: AbortSignal): Promise<Validation> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundledFile('wabt-worker.js'));
    const stop = () => void worker.terminate();
    signal?.addEventListener(
      'abort',
      () => {
        stop();
        reject(new Error('validation cancelled'));
      },
      { once: true },
    );
    worker.once('message', (result: Validation) => {
      stop();
      resolve(result);
    });
    worker.once('error', (e) => {
      stop();
      reject(e);
    });
    worker.postMessage(bytes);
  });
}

/** The whole module as text (wasm2wat), for modules up to WHOLE_TEXT_LIMIT. */
export async function wholeModuleText(bytes: Uint8Array): Promise<string> {
  if (bytes.length > WHOLE_TEXT_LIMIT) {
    throw new Error(
      `the module is ${(bytes.length / 2 ** 20).toFixed(1)} MiB: whole-module text is offered up to ${WHOLE_TEXT_LIMIT / 2 ** 20} MiB; open functions one at a time in the inspector instead`,
    );
  }
  const wabt = await loadWabt();
  const module = wabt.readWasm(bytes, { readDebugNames: true, check: false }, WABT_FEATURES);
  try {
    return module.toText({ foldExprs: false, inlineExport: true });
  } finally {
    module.destroy();
  }
}

/** Compiles WebAssembly text to a validated binary (wat2wasm); errors carry wabt's file:line:column. */
export async function watToWasm(text: string, filename = 'module.wat'): Promise<Uint8Array> {
  const wabt = await loadWabt();
  const module = wabt.parseWat(filename, text, WABT_FEATURES);
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: true }).buffer;
  } finally {
    module.destroy();
  }
}
