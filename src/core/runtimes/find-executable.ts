import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** An existing regular file the current user may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable called `name` on PATH (what a shell's `command -v` finds), without a shell. */
export function findExecutable(
  name: string,
  searchPath = process.env.PATH ?? '',
): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? path.resolve(name) : undefined;
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Every executable on PATH whose name matches, first occurrence of each name wins. */
export function findExecutablesMatching(
  pattern: RegExp,
  searchPath = process.env.PATH ?? '',
): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!pattern.test(name) || found.has(name)) continue;
      const file = path.join(dir, name);
      if (isExecutableFile(file)) found.set(name, file);
    }
  }
  return found;
}
