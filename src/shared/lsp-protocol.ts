/**
 * What the extension and the language server agree on: the diagnostic source and codes (quick fixes
 * key on them), the documents the server serves and the commands its code lenses run. Imported by
 * both sides; no runtime dependencies.
 */
export const DIAGNOSTIC_SOURCE = 'wasm-containers';

export const DiagnosticCodes = {
  /** `wasm32` in a platform string: Docker's platform is wasi/wasm and wasm32 fails to resolve. */
  platformWasm32: 'platform-wasm32',
  /** A `.wasm` named by COPY/ADD/ENTRYPOINT that is not a WebAssembly binary. */
  notWasm: 'not-wasm',
  /** RUN, SHELL, USER or HEALTHCHECK in the final stage of a Wasm image. */
  unsupportedInWasm: 'unsupported-in-wasm',
  /** A COPY/ADD source (or the entrypoint's file) missing from the build context, or leaving it. */
  missingSource: 'missing-source',
  /** EXPOSE in an image whose module is WASI preview1 (no sockets). */
  exposePreview1: 'expose-preview1',
  /** A Wasm stage without --platform: the engine would build it for its own (linux) platform. */
  missingPlatform: 'missing-platform',
  /** The native counterpart differs in ways that make the comparison unfair. */
  unfairCounterpart: 'unfair-counterpart',
  /** ENTRYPOINT/CMD in shell form or with an invalid JSON array in a Wasm image. */
  entrypointForm: 'entrypoint-form',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export const SERVED_LANGUAGES = ['dockerfile', 'wat'] as const;

/** Commands the code lenses above a Wasm stage run (arguments: the Dockerfile's URI as a string). */
export const LensCommands = {
  build: 'wasmContainers.image.buildWasm',
  run: 'wasmContainers.module.run',
  profile: 'wasmContainers.profile.run',
  profileAcross: 'wasmContainers.profile.runAcrossRuntimes',
} as const;
