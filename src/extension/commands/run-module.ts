import path from 'node:path';
import * as vscode from 'vscode';
import { discoverPair } from '../../core/profile/discover';
import { NativeProcessRuntime } from '../../core/runtimes/native-process';
import type { RunOutcome, RunSpec, RuntimeAdapter } from '../../core/runtimes/types';
import { isDockerfileName, resolveEntrypoint } from '../../core/dockerfile/entrypoint';
import type { CommandContext, CommandRefusal } from '../command-context';
import { readConfig } from '../config';
import { approveWorkspaceExecutables } from '../executable-approval';
import { chooseRuntime } from '../runtime-choice';
import { runInTerminal } from '../run-terminal';
import { pickWasmFile } from './pick-wasm';

export type RunModuleResult =
  | { status: 'finished'; outcome: RunOutcome }
  | { status: 'failed' | 'no-file' | 'not-approved'; message?: string }
  | CommandRefusal;

export interface RunModuleOptions {
  /** Runtime id; default: the workspace's last choice, else wasmContainers.runtime.default. */
  runtime?: string;
  /** Always ask which runtime ("Run as Wasm Container With…"). */
  ask?: boolean;
}

async function runAndWait(
  log: vscode.LogOutputChannel,
  runtime: RuntimeAdapter,
  spec: RunSpec,
  name: string,
): Promise<RunModuleResult> {
  const config = readConfig(vscode.Uri.file(spec.artifact));
  const { terminal, done } = runInTerminal(
    name,
    runtime,
    { cwd: path.dirname(spec.artifact), timeoutMs: config.runTimeoutMs, ...spec },
    log,
  );
  terminal.show(true);
  const outcome = await done;
  return outcome ? { status: 'finished', outcome } : { status: 'failed' };
}

/**
 * What to run: a .wasm as it is (with wasmContainers.run.args), or for a Dockerfile what its FROM
 * scratch image would run (the module, with the entrypoint's arguments and environment).
 */
async function moduleToRun(
  uri: vscode.Uri | undefined,
): Promise<{ file: vscode.Uri; spec: RunSpec; name: string } | undefined> {
  if (uri instanceof vscode.Uri && isDockerfileName(uri.fsPath)) {
    const entry = resolveEntrypoint(uri.fsPath);
    if (entry.kind !== 'wasm')
      throw new Error(
        `${path.basename(uri.fsPath)} runs ${entry.guestPath}, a native executable, not a Wasm module: use "Run Native Counterpart" on the module, or run the image under a container runtime.`,
      );
    return {
      file: uri,
      spec: { artifact: entry.artifact, args: entry.args, env: entry.env },
      name: `Wasm: ${path.basename(path.dirname(uri.fsPath))}/${path.basename(uri.fsPath)}`,
    };
  }
  const file = await pickWasmFile(uri, 'Run as Wasm Container');
  if (!file) return undefined;
  return {
    file,
    spec: { artifact: file.fsPath, args: readConfig(file).runArgs },
    name: `Wasm: ${path.basename(file.fsPath)}`,
  };
}

/** "Run as Wasm Container": the module under the chosen runtime, output in a terminal. */
export async function runModuleCommand(
  ctx: CommandContext,
  uri?: vscode.Uri,
  options: RunModuleOptions = {},
): Promise<RunModuleResult> {
  const target = await moduleToRun(uri);
  if (!target) return { status: 'no-file' };
  const file = target.file;
  const state = ctx.workspaceState;
  if (!(await approveWorkspaceExecutables(state, file))) return { status: 'not-approved' };
  const runtime = await chooseRuntime(state, file, {
    requested: options.runtime,
    ask: options.ask,
  });
  if (!runtime) return { status: 'cancelled' };
  return runAndWait(ctx.log, runtime.adapter, target.spec, `${target.name} (${runtime.id})`);
}

/** "Run Native Counterpart": the twin beside the module (hello.wasm ↔ hello) as a process. */
export async function runNativeCommand(
  ctx: CommandContext,
  uri?: vscode.Uri,
): Promise<RunModuleResult> {
  const file = await pickWasmFile(uri, 'Run Native Counterpart');
  if (!file) return { status: 'no-file' };
  const pair = discoverPair(file.fsPath);
  if (!pair.native) {
    const message = `No native counterpart beside ${path.basename(pair.module)}: looked for ${pair.nativeCandidates.map((c) => path.basename(c)).join(' and ')}. Build it (e.g. gcc -static) with that name.`;
    void vscode.window.showWarningMessage(message);
    return { status: 'failed', message };
  }
  return runAndWait(
    ctx.log,
    new NativeProcessRuntime(),
    { artifact: pair.native, args: readConfig(file).runArgs },
    `Native: ${path.basename(pair.native)}`,
  );
}
