import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { discoverPair } from '../../core/profile/discover';
import { availableModuleRuntimes } from '../../core/profile/runtime-preference';
import { defaultSpecFor, loadProfileSpec } from '../../core/profile/spec';
import { resolveSpecTargets } from '../../core/profile/spec-targets';
import { detectRuntimes } from '../../core/runtimes/runtime-catalog';
import type { CommandContext } from '../command-context';
import { readConfig } from '../config';
import { approveWorkspaceExecutables } from '../executable-approval';
import { detectModuleCatalog } from '../runtime-choice';
import { pickWasmFile } from './pick-wasm';
import { profileWithProgress, type ProfileCommandResult } from './profile-progress';
import { needsEngines } from '../../core/engines/runtime-ids';

const folderOf = (file: vscode.Uri) =>
  vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);

/** "Run Profile Spec": every target and scenario of a wasm-containers.profile.json. */
export async function profileSpecCommand(
  ctx: CommandContext,
  uri?: vscode.Uri,
): Promise<ProfileCommandResult> {
  let file = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!file?.path.endsWith('.json')) {
    const found = await vscode.workspace.findFiles('**/*.profile.json', '**/node_modules/**', 50);
    const picked =
      found.length === 1
        ? { uri: found[0] }
        : await vscode.window.showQuickPick(
            found.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
            { title: 'Which profile spec?' },
          );
    if (!picked) {
      if (found.length === 0)
        void vscode.window.showInformationMessage(
          'No *.profile.json in this workspace: create one with "Wasm Containers: Create Profile Spec".',
        );
      return { status: 'no-file' };
    }
    file = picked.uri;
  }
  if (!(await approveWorkspaceExecutables(ctx.workspaceState, file)))
    return { status: 'not-approved' };
  const spec = loadProfileSpec(file.fsPath);
  const config = readConfig(file);
  const catalog = await detectRuntimes({
    nodePath: config.nodePath,
    paths: config.runtimePaths,
    dockerHost: config.dockerHost,
    skipEngines: !needsEngines(spec.targets),
  });
  const targets = await resolveSpecTargets(spec, catalog, {
    dockerHost: config.dockerHost,
    onOutput: (line) => ctx.log.info(line),
  });
  return profileWithProgress(
    ctx,
    spec.name ?? path.basename(file.fsPath),
    folderOf(file),
    targets,
    {
      runs: spec.runs,
      warmup: spec.warmup,
      order: spec.order,
      timeoutMs: spec.timeoutSeconds * 1000,
      markers: spec.markers,
      reference: spec.reference,
      name: spec.name,
      scenarios: spec.scenarios,
      source: file.fsPath,
    },
  );
}

/**
 * "Create Profile Spec": wasm-containers.profile.json beside a module, comparing it under every
 * Wasm runtime detected here (JIT and AOT) with its native twin.
 */
export async function createSpecCommand(uri?: vscode.Uri): Promise<{
  status: 'created' | 'exists' | 'no-file';
  file?: string;
  runtimes?: string[];
}> {
  const module = await pickWasmFile(uri, 'Create Profile Spec');
  if (!module) return { status: 'no-file' };
  const pair = discoverPair(module.fsPath);
  const dir = path.dirname(pair.module);
  const file = path.join(dir, 'wasm-containers.profile.json');
  const existed = existsSync(file);
  let runtimes: string[] | undefined;
  if (!existed) {
    runtimes = availableModuleRuntimes(await detectModuleCatalog(module)).map((r) => r.id);
    const spec = defaultSpecFor(
      path.basename(pair.module),
      pair.native ? path.basename(pair.native) : undefined,
      runtimes,
    );
    writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  return { status: existed ? 'exists' : 'created', file, runtimes };
}
