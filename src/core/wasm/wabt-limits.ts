/** Above this, whole-module text is refused: the per-function view is the way (wasm2wat of 14 MB writes 1.9 GB). */
export const WHOLE_TEXT_LIMIT = 2 * 1024 * 1024;
