import path from 'node:path';
import * as vscode from 'vscode';
import { NodeWasiRuntime } from '../../core/runtimes/node-wasi';
import type { RunOutcome } from '../../core/runtimes/types';
import { readConfig } from '../config';
import { runInTerminal } from '../run-terminal';
import { ensureTrusted } from '../trust';
import { pickWasmFile } from './pick-wasm';

export type RunModuleResult =
  | { status: 'finished'; outcome: RunOutcome }
  | { status: 'failed' | 'cancelled' | 'untrusted' | 'no-file' };

/** "Run as Wasm Container": the module under the embedded default runtime, output in a terminal. */
export async function runModuleCommand(log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<RunModuleResult> {
  if (!ensureTrusted('Running a Wasm module', log)) return { status: 'untrusted' };
  const file = await pickWasmFile(uri, 'Run as Wasm Container');
  if (!file) return { status: 'no-file' };
  const config = readConfig(file);
  const runtime = new NodeWasiRuntime({ nodePath: config.nodePath });
  const { terminal, done } = runInTerminal(`Wasm: ${path.basename(file.fsPath)}`, runtime, {
    artifact: file.fsPath, args: config.runArgs, cwd: path.dirname(file.fsPath), timeoutMs: config.runTimeoutMs,
  }, log);
  terminal.show(true);
  const outcome = await done;
  return outcome ? { status: 'finished', outcome } : { status: 'failed' };
}
