import * as vscode from 'vscode';

/** Typed view of the wasmContainers.* settings. */
export interface Config {
  nodePath: string | undefined;
  runTimeoutMs: number;
  runArgs: string[];
  profileRuns: number;
  profileWarmup: number;
}

export function readConfig(scope?: vscode.Uri): Config {
  const c = vscode.workspace.getConfiguration('wasmContainers', scope);
  return {
    // a restricted setting: VS Code ignores workspace values of it in untrusted workspaces
    nodePath: c.get<string>('node.path')?.trim() || undefined,
    runTimeoutMs: Math.max(1, c.get<number>('run.timeoutSeconds', 60)) * 1000,
    runArgs: c.get<string[]>('run.args', []),
    profileRuns: Math.max(1, Math.floor(c.get<number>('profile.runs', 10))),
    profileWarmup: Math.max(0, Math.floor(c.get<number>('profile.warmup', 2))),
  };
}
