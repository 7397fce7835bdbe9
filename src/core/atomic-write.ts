import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes to a temporary name beside the target and renames it into place: a crash or failure never
 * leaves a torn or half-written file or folder (the temporary one is removed on failure).
 */
export function atomically(target: string, write: (tmp: string) => void): void {
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    write(tmp);
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export function writeFileAtomic(file: string, content: string | Buffer): void {
  atomically(file, (tmp) => writeFileSync(tmp, content));
}
