import type { Hint } from '../hints';
import type { Catalog, RuntimeStatus } from '../runtimes/runtime-catalog';
import { hintsOf } from '../runtimes/runtime-report';

/** Node's WASI: the Wasm runtime that is always there (it ships with the Node that runs us). */
export const FALLBACK_RUNTIME = 'node-wasi';

/**
 * Where a preference for a runtime came from. Front ends word it: the editor's remembered
 * "Run With…" choice and its default setting, the CLI's flag and environment variable.
 */
export type RuntimeSource = 'requested' | 'remembered' | 'setting' | 'environment' | 'fallback';

export interface RuntimePreference {
  id: string;
  source: RuntimeSource;
}

export interface PreferredRuntime {
  runtime: RuntimeStatus;
  source: RuntimeSource;
  /**
   * Preferences that named a runtime this machine cannot use, why, and what would make it usable:
   * a front end says so.
   */
  passedOver: Array<RuntimePreference & { reason: string; hints: Hint[] }>;
}

/** The runtimes a module runs under as a process: Node WASI and the Wasm CLIs (JIT and AOT). */
export const moduleRuntimesOf = (catalog: Catalog): RuntimeStatus[] =>
  catalog.runtimes.filter((r) => r.runs === 'wasm' && r.kind === 'process');

/** Every module runtime available here, in the catalog's order (Profile Across Wasm Runtimes). */
export const availableModuleRuntimes = (catalog: Catalog): RuntimeStatus[] =>
  moduleRuntimesOf(catalog).filter((r) => r.available);

/**
 * The runtime a one-click profile uses: the first preference this machine can run, else Node
 * WASI — never silently: the preferences passed over come back with their reasons.
 */
export function preferredRuntime(
  catalog: Catalog,
  preferences: ReadonlyArray<RuntimePreference | undefined>,
): PreferredRuntime {
  const runtimes = moduleRuntimesOf(catalog);
  const passedOver: PreferredRuntime['passedOver'] = [];
  for (const preference of preferences) {
    if (!preference?.id) continue;
    const runtime = runtimes.find((r) => r.id === preference.id);
    if (runtime?.available) return { runtime, source: preference.source, passedOver };
    if (passedOver.some((p) => p.id === preference.id)) continue;
    passedOver.push({
      ...preference,
      reason: runtime
        ? (runtime.reason ?? 'not available')
        : `no Wasm runtime has this id (known: ${runtimes.map((r) => r.id).join(', ')})`,
      hints: runtime ? hintsOf(runtime, catalog) : [],
    });
  }
  const fallback = runtimes.find((r) => r.id === FALLBACK_RUNTIME && r.available);
  if (!fallback)
    throw new Error(
      `No Wasm runtime is available: ${runtimes.find((r) => r.id === FALLBACK_RUNTIME)?.reason ?? 'Node WASI is not in the catalog'}.`,
    );
  return { runtime: fallback, source: 'fallback', passedOver };
}
