import * as vscode from 'vscode';

/** Typed view of the wasmContainers.* settings. */
export interface Config {
  nodePath: string | undefined;
  runTimeoutMs: number;
  runArgs: string[];
  profileRuns: number;
  profileWarmup: number;
  defaultRuntime: string;
  /** Executables of the Wasm runtime CLIs, by runtime id (wasmtime, wasmedge, wasmer, iwasm). */
  runtimePaths: Record<string, string>;
  /** DOCKER_HOST-style address of the engine; undefined: DOCKER_HOST or the default socket. */
  dockerHost: string | undefined;
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
    defaultRuntime: c.get<string>('runtime.default', 'node-wasi'),
    runtimePaths: Object.fromEntries(
      Object.entries(c.get<Record<string, string>>('runtime.paths', {})).filter(
        ([, v]) => typeof v === 'string' && v.trim() !== '',
      ),
    ),
    dockerHost: c.get<string>('docker.host')?.trim() || undefined,
  };
}
