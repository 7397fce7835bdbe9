import { readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toolCacheDir } from '../cache-dir';
import { runProcess, type ProcessResult, type RunProcessOptions } from './run-process';

export { toolCacheDir };

interface Entry {
  size: number;
  mtimeMs: number;
  stdout: string;
  stderr: string;
}

const FILE = 'version-answers.json';
/** At most this many answers are kept (the newest): executables come and go. */
const MAX_ENTRIES = 200;

/**
 * What `file args` printed when it last ran, while the executable (its real path, after links) has
 * the same size and modification time; otherwise it runs (through the one process helper) and a
 * successful answer is kept. So `inspect` asks the installed runtimes their versions without
 * starting them, and a runtime upgraded in place is asked again. Only answers with exit code 0 are
 * kept; a cache that cannot be read or written is ignored. A hit is read synchronously (a realpath,
 * a stat and a 6 KB file: tens of microseconds): as promises, the same steps took 7–18 ms of event
 * loop turns after every `inspect` had decoded its module (the CLI times them).
 */
export async function cachedAnswer(
  file: string,
  args: string[],
  options: RunProcessOptions = {},
  cacheDir = toolCacheDir(),
): Promise<ProcessResult & { cached: boolean }> {
  const id = identify('', file, args);
  const store = path.join(cacheDir, FILE);
  const hit = id && lookup(store, id);
  if (hit)
    return {
      exitCode: 0,
      signal: null,
      stdout: hit.stdout,
      stderr: hit.stderr,
      stdoutTruncated: false,
      stderrTruncated: false,
      extra: [],
      durationMs: 0,
      pid: 0,
      cached: true,
    };
  const result = await runProcess(file, args, options);
  if (id && result.exitCode === 0 && !result.stdoutTruncated && !result.stderrTruncated)
    await remember(cacheDir, store, id, { stdout: result.stdout, stderr: result.stderr });
  return { ...result, cached: false };
}

/** An executable as the cache knows it: its real path (after links) and question, size, mtime. */
interface Identity {
  key: string;
  size: number;
  mtimeMs: number;
}

/** `file`'s identity, or undefined when it is not a file that can be stat'ed (a bare name). */
function identify(prefix: string, file: string, question: readonly string[]): Identity | undefined {
  try {
    const real = realpathSync.native(file);
    const st = statSync(real);
    return { key: `${prefix}${real}\0${question.join('\0')}`, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** The entry kept for the executable while it is unchanged (same size and mtime), if any. */
function lookup(store: string, id: Identity): Entry | undefined {
  const hit = cachedEntries(store)[id.key];
  return hit &&
    hit.size === id.size &&
    hit.mtimeMs === id.mtimeMs &&
    typeof hit.stdout === 'string' &&
    typeof hit.stderr === 'string'
    ? hit
    : undefined;
}

/** Writes of this process, one after the other, each over a fresh read: no answer is lost. */
let writes: Promise<void> = Promise.resolve();

function remember(
  cacheDir: string,
  store: string,
  { key, size, mtimeMs }: Identity,
  answer: Pick<Entry, 'stdout' | 'stderr'>,
): Promise<void> {
  writes = writes.then(async () => {
    const entries = readEntries(store);
    delete entries[key]; // re-inserted last: the newest are kept
    entries[key] = { size, mtimeMs, ...answer };
    const keys = Object.keys(entries);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete entries[old];
    readOnce.set(store, entries);
    await writeEntries(cacheDir, store, entries).catch(() => undefined);
  });
  return writes;
}

/**
 * The store as this process last read or wrote it: a profile's detection asks a dozen
 * executables, and each lookup read and parsed the whole file again (9 reads per CLI profile).
 * Another process's later answers are missed until we write: a miss only asks the executable.
 */
const readOnce = new Map<string, Record<string, Entry>>();

function cachedEntries(store: string): Record<string, Entry> {
  let entries = readOnce.get(store);
  if (!entries) readOnce.set(store, (entries = readEntries(store)));
  return entries;
}

function readEntries(store: string): Record<string, Entry> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(store, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, Entry>)
      : {};
  } catch {
    return {};
  }
}

/** Written beside and renamed over: a reader never sees half a file. */
async function writeEntries(
  dir: string,
  store: string,
  entries: Record<string, Entry>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${store}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(entries));
  await rename(tmp, store);
}

/**
 * A fact computed from a file (any JSON value: an image's size, say), kept while the file (real
 * path, size, mtime) is unchanged, so that it is computed once per version of the file. An
 * undefined answer is not kept; a cache that cannot be read or written is ignored.
 */
export async function cachedFileFact<T>(
  file: string,
  question: string[],
  compute: () => Promise<T | undefined>,
  cacheDir = toolCacheDir(),
): Promise<T | undefined> {
  const id = identify('fact\0', file, question);
  if (!id) return compute();
  const store = path.join(cacheDir, FILE);
  const hit = lookup(store, id);
  if (hit) {
    try {
      return JSON.parse(hit.stdout) as T;
    } catch {
      // damaged, or of an older form: computed again and replaced
    }
  }
  const fact = await compute();
  if (fact !== undefined)
    await remember(cacheDir, store, id, { stdout: JSON.stringify(fact), stderr: '' });
  return fact;
}

/**
 * A check of an executable that succeeds or not (does this compiler compile?), kept while the
 * executable (real path, size, mtime) is unchanged. Only success (undefined) is kept: a failure,
 * maybe a timeout on a busy machine, is checked again next time.
 */
export async function cachedCheck(
  file: string,
  question: string[],
  check: () => Promise<string | undefined>,
  cacheDir = toolCacheDir(),
): Promise<string | undefined> {
  let failure: string | undefined;
  const passed = await cachedFileFact(
    file,
    ['check', ...question],
    async () => {
      failure = await check();
      return failure === undefined ? true : undefined;
    },
    cacheDir,
  );
  return passed ? undefined : failure;
}
