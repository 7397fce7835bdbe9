/**
 * What the extension and the language server agree on: the diagnostic source and codes (quick fixes
 * key on them) and the documents the server serves. Imported by both sides; no runtime dependencies.
 */
export const DIAGNOSTIC_SOURCE = 'wasm-containers';

export const DiagnosticCodes = {
  /** `wasm32` in a platform string: Docker's platform is wasi/wasm and wasm32 fails to resolve. */
  platformWasm32: 'platform-wasm32',
  /** A `.wasm` named by COPY/ADD/ENTRYPOINT that is not a WebAssembly binary. */
  notWasm: 'not-wasm',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export const SERVED_LANGUAGES = ['dockerfile'] as const;
