import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isExecutableFile } from '../runtimes/find-executable';

export interface ArtifactPair {
  module: string;
  /** The native twin, when one was found or given. */
  native?: string;
  /** Where we looked for the native twin, for the message when there is none. */
  nativeCandidates: string[];
}

/** Where a module's native twin would be: hello.wasm → hello, hello.native. */
function twinCandidates(module: string): string[] {
  const base = module.slice(0, -'.wasm'.length);
  return [base, `${base}.native`];
}

/**
 * Finds what to compare from a path: a .wasm module and its native twin, by convention the
 * executable beside it with the same name and no extension (hello.wasm ↔ hello), or `name.native`.
 */
export function discoverPair(input: string, nativeOverride?: string): ArtifactPair {
  let stats;
  try {
    stats = statSync(input);
  } catch {
    throw new Error(`${input} does not exist: give a .wasm module or a folder that holds one.`);
  }
  let module: string;
  if (stats.isDirectory()) {
    const modules = readdirSync(input)
      .filter((f) => f.endsWith('.wasm'))
      .sort();
    if (modules.length === 0)
      throw new Error(
        `${input} holds no .wasm module: build one (e.g. clang-14 --target=wasm32-wasi) or name the file.`,
      );
    // several modules: the one with a native twin beside it is what "profile against native" means
    const twinned = modules.filter((m) =>
      twinCandidates(path.join(input, m)).some(isExecutableFile),
    );
    const chosen = modules.length === 1 ? modules : twinned;
    if (chosen.length !== 1)
      throw new Error(
        `${input} holds several modules (${modules.join(', ')})${twinned.length > 1 ? `, ${twinned.length} with a native twin` : ''}: name the one to profile.`,
      );
    module = path.join(input, chosen[0]);
  } else {
    if (!input.endsWith('.wasm')) throw new Error(`${input} is not a .wasm module.`);
    module = input;
  }
  const nativeCandidates = nativeOverride ? [nativeOverride] : twinCandidates(module);
  if (nativeOverride && !isExecutableFile(nativeOverride)) {
    throw new Error(`${nativeOverride} (the native counterpart) is not an executable file.`);
  }
  return { module, native: nativeCandidates.find(isExecutableFile), nativeCandidates };
}
