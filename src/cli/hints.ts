/**
 * Hints in the CLI's terms: the --runtime-path flag and the WASM_CONTAINERS_RUNTIME_PATHS and
 * DOCKER_HOST environment variables (never an editor setting: the CLI reads none).
 */
import type { Hint } from '../core/hints';
import { UsageError } from './args';

/** The environment variable that names runtime executables, as --runtime-path does (comma-separated). */
export const RUNTIME_PATHS_ENV = 'WASM_CONTAINERS_RUNTIME_PATHS';

/** One hint as a terminal user acts on it. */
export function hintText(hint: Hint): string {
  switch (hint.kind) {
    case 'set-path': {
      const flag = `--runtime-path ${hint.runtime}=PATH`;
      const env = `${RUNTIME_PATHS_ENV}=${hint.runtime}=PATH`;
      return hint.configured
        ? `${hint.configured} was given for ${hint.runtime}: name a working executable with ${flag} (or ${env})`
        : `if it is installed elsewhere, name it with ${flag} (or ${env})`;
    }
    case 'install':
      return hint.how;
    case 'engine-address':
      return hint.engine === 'docker'
        ? `no engine answered at ${hint.tried}: if it listens elsewhere, set DOCKER_HOST to its address`
        : `no engine answered at ${hint.tried}: start Podman's API socket (systemctl --user start podman.socket)`;
  }
}

/** The hints a reason does not already say (an install text is often part of the reason). */
export function hintLines(hints: readonly Hint[], reason = ''): string[] {
  return hints.filter((h) => !(h.kind === 'install' && reason.includes(h.how))).map(hintText);
}

/** Runtime executables named on the command line or in the environment. */
export interface RuntimePaths {
  /** Node for node-wasi (the key `node`). */
  nodePath?: string;
  /** Everything else, by runtime id or tool name (wasmtime, wasmer, wamrc …). */
  paths: Record<string, string>;
}

/**
 * ID=PATH pairs from --runtime-path (repeatable) over those of WASM_CONTAINERS_RUNTIME_PATHS
 * (comma-separated): a flag wins over the environment for the same id.
 */
export function runtimePaths(
  flags: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): RuntimePaths {
  const fromEnv = (env[RUNTIME_PATHS_ENV] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const paths: Record<string, string> = {};
  for (const [source, pairs] of [
    [RUNTIME_PATHS_ENV, fromEnv],
    ['--runtime-path', flags],
  ] as const) {
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const id = pair.slice(0, Math.max(eq, 0)).trim();
      const file = pair.slice(eq + 1).trim();
      if (eq <= 0 || !/^[a-z][a-z0-9-]*$/.test(id) || !file)
        throw new UsageError(
          `${source} expects ID=PATH (e.g. wasmtime=/opt/wasmtime), got '${pair}'`,
        );
      paths[id] = file;
    }
  }
  const { node, ...rest } = paths;
  return { ...(node ? { nodePath: node } : {}), paths: rest };
}
