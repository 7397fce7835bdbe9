/** Why a module's imports cannot be satisfied by WASI preview1 alone, or undefined when they can. */
export function describeUnsupportedImports(
  imports: ReadonlyArray<{ module: string; name: string }>,
): string | undefined {
  const foreign = imports.filter(
    (i) => i.module !== 'wasi_snapshot_preview1' && i.module !== 'wasi_unstable',
  );
  if (foreign.length === 0) return undefined;
  const modules = [...new Set(foreign.map((i) => i.module))];
  if (modules.some((m) => m === 'gojs' || m === 'go')) {
    return `is a Go js/wasm module (imports from '${modules.join("', '")}'): it needs Go's wasm_exec.js, not WASI. Build it with GOOS=wasip1 GOARCH=wasm to run it here.`;
  }
  if (modules.includes('env')) {
    return `imports from 'env' (${foreign
      .filter((i) => i.module === 'env')
      .slice(0, 5)
      .map((i) => i.name)
      .join(
        ', ',
      )}…): an Emscripten or host-specific module, which WASI preview1 cannot satisfy. Build it for wasm32-wasi (wasm32-wasip1).`;
  }
  return `imports from modules WASI preview1 does not provide: ${modules.join(', ')}. Run it with the host that provides them.`;
}
