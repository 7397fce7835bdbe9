import os from 'node:os';
import path from 'node:path';

/**
 * The user's cache directory for this tool: $WASM_CONTAINERS_CACHE_DIR, else the OS's own
 * (XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows).
 * Its own module, free of process helpers, so that the CLI's entry can use it at start.
 */
export function toolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WASM_CONTAINERS_CACHE_DIR) return env.WASM_CONTAINERS_CACHE_DIR;
  const home = os.homedir();
  const base =
    process.platform === 'darwin'
      ? path.join(home, 'Library', 'Caches')
      : process.platform === 'win32'
        ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
        : (env.XDG_CACHE_HOME ?? path.join(home, '.cache'));
  return path.join(base, 'wasm-containers');
}
