import path from 'node:path';
import * as vscode from 'vscode';
import { discoverPair } from '../../core/profile/discover';
import { errorMessage } from '../../core/process/errors';
import { NativeProcessRuntime } from '../../core/runtimes/native-process';
import type { RunOutcome, RunSpec, RuntimeAdapter } from '../../core/runtimes/types';
import { isDockerfileName, resolveEntrypoint } from '../../core/dockerfile/entrypoint';
import { readConfig } from '../config';
import { approveWorkspaceExecutables } from '../executable-approval';
import { chooseRuntime } from '../runtime-choice';
import { runInTerminal } from '../run-terminal';
import { ensureTrusted } from '../trust';
import { pickWasmFile } from './pick-wasm';

export type RunModuleResult =
  | { status: 'finished'; outcome: RunOutcome }
  | { status: 'failed' | 'cancelled' | 'untrusted' | 'no-file' | 'not-approved'; message?: string };

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
): Promise<{ file: vscode.Uri; spec: RunSpec; name: string } | { error: string } | undefined> {
  if (uri instanceof vscode.Uri && isDockerfileName(uri.fsPath)) {
    try {
      const entry = resolveEntrypoint(uri.fsPath);
      if (entry.kind !== 'wasm')
        return {
          error: `${path.basename(uri.fsPath)} runs ${entry.guestPath}, a native executable, not a Wasm module: use "Run Native Counterpart" on the module, or run the image under a container runtime.`,
        };
      return {
        file: uri,
        spec: { artifact: entry.artifact, args: entry.args, env: entry.env },
        name: `Wasm: ${path.basename(path.dirname(uri.fsPath))}/${path.basename(uri.fsPath)}`,
      };
    } catch (e) {
      return { error: errorMessage(e) };
    }
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
  log: vscode.LogOutputChannel,
  state: vscode.Memento,
  uri?: vscode.Uri,
  options: RunModuleOptions = {},
): Promise<RunModuleResult> {
  if (!ensureTrusted('Running a Wasm module', log)) return { status: 'untrusted' };
  const target = await moduleToRun(uri);
  if (!target) return { status: 'no-file' };
  if ('error' in target) {
    void vscode.window.showErrorMessage(target.error);
    return { status: 'failed', message: target.error };
  }
  const file = target.file;
  if (!(await approveWorkspaceExecutables(state, file))) return { status: 'not-approved' };
  let runtime;
  try {
    runtime = await chooseRuntime(state, file, { requested: options.runtime, ask: options.ask });
  } catch (e) {
    void vscode.window.showErrorMessage(errorMessage(e));
    return { status: 'failed', message: errorMessage(e) };
  }
  if (!runtime) return { status: 'cancelled' };
  return runAndWait(log, runtime.adapter, target.spec, `${target.name} (${runtime.id})`);
}

/** "Run Native Counterpart": the twin beside the module (hello.wasm ↔ hello) as a process. */
export async function runNativeCommand(
  log: vscode.LogOutputChannel,
  uri?: vscode.Uri,
): Promise<RunModuleResult> {
  if (!ensureTrusted('Running the native counterpart', log)) return { status: 'untrusted' };
  const file = await pickWasmFile(uri, 'Run Native Counterpart');
  if (!file) return { status: 'no-file' };
  const pair = discoverPair(file.fsPath);
  if (!pair.native) {
    const message = `No native counterpart beside ${path.basename(pair.module)}: looked for ${pair.nativeCandidates.map((c) => path.basename(c)).join(' and ')}. Build it (e.g. gcc -static) with that name.`;
    void vscode.window.showWarningMessage(message);
    return { status: 'failed', message };
  }
  return runAndWait(
    log,
    new NativeProcessRuntime(),
    { artifact: pair.native, args: readConfig(file).runArgs },
    `Native: ${path.basename(pair.native)}`,
  );
}
