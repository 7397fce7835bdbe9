import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
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
  // the common case in two steps: written beside, renamed over the old file (which a rename
  // replaces atomically: removing it first, as atomically() must for a folder, cost a CLI profile
  // up to 10 ms per file here); no folder yet, a folder in the way or a stale temporary file go
  // the general way
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    return;
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
  atomically(file, (t) => writeFileSync(t, content));
}

/**
 * atomically(), with every file-system step asynchronous (for large outputs, such as image
 * archives, written from the editor: removing the old one alone can take a tenth of a second).
 * A file replaces its predecessor by the rename itself; a folder's predecessor is removed first.
 */
export async function atomicallyAsync(
  target: string,
  write: (tmp: string) => Promise<void>,
): Promise<void> {
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    await write(tmp);
    await rename(tmp, target).catch(async (e: NodeJS.ErrnoException) => {
      if (
        e.code !== 'EISDIR' &&
        e.code !== 'ENOTEMPTY' &&
        e.code !== 'EEXIST' &&
        e.code !== 'ENOTDIR'
      )
        throw e;
      await rm(target, { recursive: true, force: true });
      await rename(tmp, target);
    });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
