import path from 'node:path';
import * as vscode from 'vscode';
import { isDockerfileName } from '../../core/dockerfile/entrypoint';
import { discoverPair } from '../../core/profile/discover';
import { dockerfileTargets } from '../../core/profile/dockerfile-targets';
import { moduleVsNativeTargets } from '../../core/profile/profile-pair';
import type { ProfileTarget } from '../../core/profile/profiler';
import { availableModuleRuntimes, type RuntimeSource } from '../../core/profile/runtime-preference';
import { NATIVE_PROCESS, targetId } from '../../core/profile/targets';
import {
  detectRuntimes,
  type Catalog,
  type RuntimeStatus,
} from '../../core/runtimes/runtime-catalog';
import { notifyWithHints, type CommandContext } from '../command-context';
import { readConfig } from '../config';
import { approveWorkspaceExecutables } from '../executable-approval';
import {
  describeSource,
  detectModuleCatalog,
  passedOverNotes,
  profileRuntime,
} from '../runtime-choice';
import { pickWasmFile } from './pick-wasm';
import { profileWithProgress, type ProfileCommandResult } from './profile-progress';

export type { ProfileCommandResult };

/** The Wasm runtime(s) a profile ran the module under, and why those. */
export interface ProfiledRuntimes {
  runtimes: Array<{ id: string; displayName: string; version?: string }>;
  /** One-click profile: where the choice came from; across runtimes: 'all'. */
  source: RuntimeSource | 'all';
}

export type ProfileModuleResult = ProfileCommandResult & { runtimes?: ProfiledRuntimes };

const folderOf = (file: vscode.Uri) =>
  vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);

const described = (runtimes: RuntimeStatus[], source: ProfiledRuntimes['source']) => ({
  runtimes: runtimes.map(({ id, displayName, version }) => ({ id, displayName, version })),
  source,
});

/** Which Wasm runtimes a profile runs the module under: the chosen one, or every one available. */
type Selection = 'chosen' | 'all';

function selectRuntimes(
  ctx: CommandContext,
  scope: vscode.Uri,
  catalog: Catalog,
  selection: Selection,
): ProfiledRuntimes & { statuses: RuntimeStatus[] } {
  if (selection === 'all') {
    const statuses = availableModuleRuntimes(catalog);
    ctx.log.info(`profiling across ${statuses.map((r) => r.id).join(', ')}`);
    return { ...described(statuses, 'all'), statuses };
  }
  const chosen = profileRuntime(ctx.workspaceState, scope, catalog);
  for (const { note, hints } of passedOverNotes(chosen)) {
    ctx.log.warn(note);
    void notifyWithHints('warning', note, hints);
  }
  ctx.log.info(
    `profiling under ${chosen.runtime.displayName} ${chosen.runtime.version ?? ''} (${describeSource(chosen.source)})`,
  );
  return { ...described([chosen.runtime], chosen.source), statuses: [chosen.runtime] };
}

const titled = (selected: ProfiledRuntimes, what: string) =>
  selected.source === 'all'
    ? `Wasm runtimes vs native: ${what}`
    : `Wasm (${selected.runtimes[0].displayName}) vs native: ${what}`;

/**
 * "Profile Against Native" (`chosen`): the module under the runtime the user chose, against its
 * native twin. "Profile Across Wasm Runtimes" (`all`): under every Wasm runtime available here.
 * A Dockerfile's module runs with its entrypoint's arguments and environment.
 */
export async function profileModuleCommand(
  ctx: CommandContext,
  uri: vscode.Uri | undefined,
  selection: Selection = 'chosen',
): Promise<ProfileModuleResult> {
  const dockerfile = uri instanceof vscode.Uri && isDockerfileName(uri.fsPath);
  const file = dockerfile
    ? uri
    : await pickWasmFile(
        uri,
        selection === 'all' ? 'Profile Across Wasm Runtimes' : 'Profile Against Native',
      );
  if (!file) return { status: 'no-file' };
  if (!(await approveWorkspaceExecutables(ctx.workspaceState, file)))
    return { status: 'not-approved' };
  const config = readConfig(file);
  const catalog = dockerfile
    ? await detectRuntimes({
        nodePath: config.nodePath,
        paths: config.runtimePaths,
        dockerHost: config.dockerHost,
      })
    : await detectModuleCatalog(file);
  const selected = selectRuntimes(ctx, file, catalog, selection);
  const adapters = selected.statuses.map((r) => r.adapter);
  let title: string;
  let targets: ProfileTarget[];
  if (dockerfile) {
    const found = await dockerfileTargets(file.fsPath, {
      wasmRuntimes: adapters,
      catalog,
      dockerHost: config.dockerHost,
      onOutput: (line) => ctx.log.info(line),
    });
    for (const note of found.notes) ctx.log.warn(note);
    targets = found.targets;
    title = titled(selected, found.title.replace(/^Wasm vs native: /, ''));
  } else {
    const pair = discoverPair(file.fsPath);
    if (!pair.native) {
      const message = `No native twin beside ${path.basename(pair.module)} (looked for ${pair.nativeCandidates.map((c) => path.basename(c)).join(', ')}): profiling the module alone. Build the native twin (gcc -static) with that name to compare.`;
      ctx.log.warn(message);
      void vscode.window.showWarningMessage(message);
    }
    targets = moduleVsNativeTargets(pair, adapters, config.runArgs);
    title = titled(selected, path.basename(pair.module));
  }
  const hasNative = targets.some((t) => t.id === targetId(NATIVE_PROCESS));
  const result = await profileWithProgress(ctx, title, folderOf(file), targets, {
    runs: config.profileRuns,
    warmup: config.profileWarmup,
    timeoutMs: config.runTimeoutMs,
    reference: hasNative ? targetId(NATIVE_PROCESS) : undefined,
    source: file.fsPath,
  });
  const { statuses: _statuses, ...runtimes } = selected;
  return { ...result, runtimes };
}
