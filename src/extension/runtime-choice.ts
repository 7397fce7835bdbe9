import * as vscode from 'vscode';
import { detectRuntimes, type RuntimeStatus } from '../core/runtimes/runtime-catalog';
import { readConfig } from './config';

const LAST_RUNTIME_KEY = 'wasmContainers.lastRuntime';

/** The process runtimes that can run a module (container runtimes need an image, not a .wasm). */
export async function moduleRuntimes(scope?: vscode.Uri): Promise<RuntimeStatus[]> {
  const config = readConfig(scope);
  const catalog = await detectRuntimes({
    nodePath: config.nodePath,
    paths: config.runtimePaths,
    skipEngines: true,
  });
  return catalog.runtimes.filter((r) => r.runs === 'wasm' && r.kind === 'process');
}

/**
 * Which runtime runs a module: the one asked for, else the workspace's last choice or the
 * configured default when available; the user is asked only when `ask` or nothing else decides.
 */
export async function chooseRuntime(
  state: vscode.Memento,
  scope: vscode.Uri | undefined,
  options: { requested?: string; ask?: boolean },
): Promise<RuntimeStatus | undefined> {
  const runtimes = await moduleRuntimes(scope);
  const available = runtimes.filter((r) => r.available);
  const byId = (id: string | undefined) => runtimes.find((r) => r.id === id);
  if (options.requested) {
    const r = byId(options.requested);
    if (!r)
      throw new Error(
        `Unknown Wasm runtime '${options.requested}' (known: ${runtimes.map((x) => x.id).join(', ')}).`,
      );
    if (!r.available) throw new Error(`${r.displayName} is not available: ${r.reason}`);
    return r;
  }
  const remembered =
    byId(state.get<string>(LAST_RUNTIME_KEY)) ?? byId(readConfig(scope).defaultRuntime);
  if (!options.ask && remembered?.available) return remembered;
  if (!options.ask && available.length === 1) return available[0];
  const items = runtimes.map((r) => ({
    label: `${r.available ? '$(pass)' : '$(circle-slash)'} ${r.displayName}`,
    description: r.version ?? 'not available',
    detail: r.available ? undefined : r.reason,
    runtime: r,
  }));
  if (remembered)
    items.sort((a, b) => Number(b.runtime === remembered) - Number(a.runtime === remembered));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Run with which runtime?',
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (!picked.runtime.available) {
    void vscode.window.showWarningMessage(
      `${picked.runtime.displayName} is not available: ${picked.runtime.reason}`,
    );
    return undefined;
  }
  await state.update(LAST_RUNTIME_KEY, picked.runtime.id);
  return picked.runtime;
}
