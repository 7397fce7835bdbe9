import {
  availableModuleRuntimes,
  preferredRuntime,
  type RuntimeSource,
} from '../core/profile/runtime-preference';
import type { Catalog, RuntimeStatus } from '../core/runtimes/runtime-catalog';
import { hintLines } from './hints';

/** The CLI's default Wasm runtime, as wasmContainers.runtime.default is the editor's. */
export const RUNTIME_ENV = 'WASM_CONTAINERS_RUNTIME';

export interface CliRuntimes {
  /** Runtime ids, in order (`--runtime` as given: an id the catalog refuses fails with its reason later). */
  ids: string[];
  /** The lines that say which runtime(s) the command uses and why. */
  notes: string[];
}

const FROM: Record<RuntimeSource, string> = {
  requested: '--runtime',
  remembered: '--runtime',
  setting: '--runtime',
  environment: RUNTIME_ENV,
  fallback: `the default; set ${RUNTIME_ENV} or pass --runtime ID to choose`,
};

const named = (r: RuntimeStatus) => `${r.displayName}${r.version ? ` ${r.version}` : ''} (${r.id})`;

/**
 * The Wasm runtime(s) a module runs under: `--runtime` (repeatable; `all`: every one available,
 * JIT and AOT), else $WASM_CONTAINERS_RUNTIME, else Node WASI — said in `notes` either way.
 */
export function cliRuntimes(
  catalog: Catalog,
  requested: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CliRuntimes {
  if (requested.includes('all')) {
    const all = availableModuleRuntimes(catalog);
    const rest = requested.filter((id) => id !== 'all' && !all.some((r) => r.id === id));
    return {
      ids: [...all.map((r) => r.id), ...rest],
      notes: [`Wasm runtimes (--runtime all): ${all.map(named).join(', ')}`],
    };
  }
  if (requested.length > 0) return { ids: [...requested], notes: [] };
  const chosen = preferredRuntime(catalog, [{ id: env[RUNTIME_ENV] ?? '', source: 'environment' }]);
  return {
    ids: [chosen.runtime.id],
    notes: [
      ...chosen.passedOver.flatMap((p) => [
        `Note: ${RUNTIME_ENV}=${p.id} cannot run here (${p.reason}); using Node WASI.`,
        ...hintLines(p.hints, p.reason).map((h) => `  → ${h}`),
      ]),
      `Wasm runtime: ${named(chosen.runtime)}, from ${FROM[chosen.source]}`,
    ],
  };
}
