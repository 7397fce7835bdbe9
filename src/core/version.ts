/** Replaced at bundle time by package.json's version (see scripts/build.mjs). */
declare const __WASM_CONTAINERS_VERSION__: string | undefined;
export const TOOL_VERSION: string =
  typeof __WASM_CONTAINERS_VERSION__ === 'string' ? __WASM_CONTAINERS_VERSION__ : '0.0.0-dev';
