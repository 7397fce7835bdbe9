import * as vscode from 'vscode';
import { detectRuntimes, type Catalog, type RuntimeStatus } from '../core/runtimes/runtime-catalog';
import {
  moduleRuntimesOf,
  preferredRuntime,
  type PreferredRuntime,
  type RuntimeSource,
} from '../core/profile/runtime-preference';
import { HintedError, type Hint } from '../core/hints';
import { hintsOf } from '../core/runtimes/runtime-report';
import { notifyWithHints } from './command-context';
import { readConfig } from './config';
import { unavailableDetail } from './hints';

const LAST_RUNTIME_KEY = 'wasmContainers.lastRuntime';

/** The process runtimes only (container runtimes need an image, not a .wasm): no engine is asked. */
export function detectModuleCatalog(scope?: vscode.Uri): Promise<Catalog> {
  const config = readConfig(scope);
  return detectRuntimes({
    nodePath: config.nodePath,
    paths: config.runtimePaths,
    skipEngines: true,
  });
}

/** The process runtimes that can run a module (container runtimes need an image, not a .wasm). */
export async function moduleRuntimes(scope?: vscode.Uri): Promise<RuntimeStatus[]> {
  return moduleRuntimesOf(await detectModuleCatalog(scope));
}

/** The runtime this workspace's "Run With…" remembered, if any. */
export const rememberedRuntime = (state: vscode.Memento): string | undefined =>
  state.get<string>(LAST_RUNTIME_KEY);

/**
 * The runtime a one-click profile uses, without asking: the remembered "Run With…" choice, then
 * wasmContainers.runtime.default, then Node WASI (with what was passed over and why).
 */
export function profileRuntime(
  state: vscode.Memento,
  scope: vscode.Uri | undefined,
  catalog: Catalog,
): PreferredRuntime {
  return preferredRuntime(catalog, [
    { id: rememberedRuntime(state) ?? '', source: 'remembered' },
    { id: readConfig(scope).defaultRuntime, source: 'setting' },
  ]);
}

/** How the result names where its runtime came from. */
export function describeSource(source: RuntimeSource): string {
  switch (source) {
    case 'requested':
      return 'as asked';
    case 'remembered':
      return 'your "Run With…" choice in this workspace';
    case 'setting':
      return 'the wasmContainers.runtime.default setting';
    case 'environment':
      return 'the environment';
    case 'fallback':
      return 'Node WASI, the runtime that is always there';
  }
}

/** One sentence per preference that named a runtime this machine cannot use, with its hints. */
export function passedOverNotes(chosen: PreferredRuntime): Array<{ note: string; hints: Hint[] }> {
  return chosen.passedOver.map((p) => ({
    note:
      `${describeSource(p.source)} names '${p.id}', which cannot run here (${p.reason}): ` +
      `profiling under ${chosen.runtime.displayName} instead.`,
    hints: p.hints,
  }));
}

/** The error for a runtime that cannot run here: its reason, and what would make it usable. */
export const unavailableError = (r: RuntimeStatus, catalog: Pick<Catalog, 'engines'>) =>
  new HintedError(`${r.displayName} is not available: ${r.reason}`, hintsOf(r, catalog));

/**
 * A quick pick item per runtime: an unavailable one says why and what would make it usable in its
 * detail; choosing it anyway shows that in a notification whose buttons open the settings.
 */
export function runtimePickItems(catalog: Catalog, runtimes: readonly RuntimeStatus[]) {
  return runtimes.map((r) => ({
    label: `${r.available ? '$(pass)' : '$(circle-slash)'} ${r.displayName}`,
    description: r.available ? r.version : 'not available',
    detail: r.available ? undefined : unavailableDetail(r.reason, hintsOf(r, catalog)),
    runtime: r,
  }));
}

/** Says why the runtime picked cannot run, with buttons that open the settings its hints name. */
export function refusePicked(r: RuntimeStatus, catalog: Pick<Catalog, 'engines'>): void {
  const e = unavailableError(r, catalog);
  void notifyWithHints('warning', e.message, e.hints);
}

/**
 * Which runtime runs a module: the one asked for, else the workspace's last choice or the
 * configured default when available; the user is asked only when `ask` or nothing else decides.
 * With `ask` and `requested` together, `requested` is the answer to the question (a keybinding's
 * argument): it is remembered as a pick is.
 */
export async function chooseRuntime(
  state: vscode.Memento,
  scope: vscode.Uri | undefined,
  options: { requested?: string; ask?: boolean },
): Promise<RuntimeStatus | undefined> {
  const catalog = await detectModuleCatalog(scope);
  const runtimes = moduleRuntimesOf(catalog);
  const available = runtimes.filter((r) => r.available);
  const byId = (id: string | undefined) => runtimes.find((r) => r.id === id);
  if (options.requested) {
    const r = byId(options.requested);
    if (!r)
      throw new Error(
        `Unknown Wasm runtime '${options.requested}' (known: ${runtimes.map((x) => x.id).join(', ')}).`,
      );
    if (!r.available) throw unavailableError(r, catalog);
    if (options.ask) await state.update(LAST_RUNTIME_KEY, r.id);
    return r;
  }
  const remembered = byId(rememberedRuntime(state)) ?? byId(readConfig(scope).defaultRuntime);
  if (!options.ask && remembered?.available) return remembered;
  if (!options.ask && available.length === 1) return available[0];
  const items = runtimePickItems(catalog, runtimes);
  if (remembered)
    items.sort((a, b) => Number(b.runtime === remembered) - Number(a.runtime === remembered));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Run with which runtime?',
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (!picked.runtime.available) {
    refusePicked(picked.runtime, catalog);
    return undefined;
  }
  await state.update(LAST_RUNTIME_KEY, picked.runtime.id);
  return picked.runtime;
}
