import type * as Crypto from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from '../process/run-process';
import type { AotDefinition } from './wasm-cli-definitions';
import type { PrecompiledArtifact } from './types';

/** node:crypto on first use: the CLI's inspect loads this module but hashes nothing. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = () => require('node:crypto') as typeof Crypto;

/**
 * Ahead-of-time artifacts, compiled once per module digest and compiler and kept in the user's
 * cache directory: `<root>/<runtime>-<version>-<compiler hash>/<module sha256>/` holds the compiled
 * file (or wazero's cache directory) and meta.json (what compiled it, and how long it took).
 */

/** The OS's per-user cache directory + wasm-containers/aot, or WASM_CONTAINERS_AOT_CACHE. */
export function defaultAotCacheDir(): string {
  if (process.env.WASM_CONTAINERS_AOT_CACHE) return process.env.WASM_CONTAINERS_AOT_CACHE;
  const home = os.homedir();
  const base =
    process.platform === 'win32'
      ? (process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : (process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'));
  return path.join(base, 'wasm-containers', 'aot');
}

/** The compiler that makes an artifact: its executable, version, and how this runtime calls it. */
export interface AotCompiler {
  runtimeId: string;
  file: string;
  version: string | undefined;
  aot: AotDefinition;
}

const sha256 = (data: string | Buffer) => crypto().createHash('sha256').update(data).digest('hex');

/**
 * Which compiler this is, as a short hash: its real path, size and modification time (a rebuilt
 * binary of the same version invalidates), and the arguments it is called with.
 */
function compilerHash(c: AotCompiler): string {
  const real = realpathSync(c.file);
  const st = statSync(real);
  return sha256(
    [real, st.size, st.mtimeMs, ...c.aot.compileArgs('IN', 'OUT'), c.aot.output.kind].join('\0'),
  ).slice(0, 12);
}

/** The folder of one module's artifact for one compiler. */
export function artifactFolder(root: string, c: AotCompiler, moduleDigest: string): string {
  const version = (c.version ?? 'unknown').replace(/[^\w.+-]/g, '_');
  return path.join(root, `${c.runtimeId}-${version}-${compilerHash(c)}`, moduleDigest);
}

const artifactName = (aot: AotDefinition) =>
  aot.output.kind === 'directory' ? 'cache' : `module${aot.output.extension}`;

interface Meta {
  compileMs: number;
  compiledAt: string;
  compiler: { file: string; args: string[]; version?: string };
}

async function bytesOf(p: string): Promise<number> {
  const st = await stat(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of await readdir(p)) total += await bytesOf(path.join(p, entry));
  return total;
}

function hasOutput(p: string, kind: 'file' | 'directory'): boolean {
  try {
    const st = statSync(p);
    return kind === 'directory' ? st.isDirectory() && readdirSync(p).length > 0 : st.size > 0;
  } catch {
    return false;
  }
}

async function describe(
  folder: string,
  module: string,
  moduleDigest: string,
  aot: AotDefinition,
  reused: boolean,
): Promise<PrecompiledArtifact> {
  const meta = JSON.parse(await readFile(path.join(folder, 'meta.json'), 'utf8')) as Meta;
  const artifact = path.join(folder, artifactName(aot));
  return {
    module,
    moduleDigest,
    path: artifact,
    kind: aot.output.kind,
    bytes: await bytesOf(artifact),
    compileMs: meta.compileMs,
    reused,
    compiler: meta.compiler,
  };
}

/** The artifact already in the cache for `module`, without compiling (synchronous: for command lines). */
export function findPrecompiled(
  root: string,
  c: AotCompiler,
  module: string,
): { path: string; moduleDigest: string } | undefined {
  const moduleDigest = sha256(readFileSync(module));
  const folder = artifactFolder(root, c, moduleDigest);
  const artifact = path.join(folder, artifactName(c.aot));
  if (!existsSync(path.join(folder, 'meta.json')) || !hasOutput(artifact, c.aot.output.kind))
    return undefined;
  return { path: artifact, moduleDigest };
}

/**
 * The compiled form of `module`: from the cache when this compiler made it before, else compiled
 * now (into a private folder renamed into place, so that concurrent compiles never see half an
 * artifact). A compile that fails or writes nothing throws with what the compiler said.
 */
export async function compileOnce(
  root: string,
  c: AotCompiler,
  moduleFile: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<PrecompiledArtifact> {
  const module = path.resolve(moduleFile);
  const moduleDigest = sha256(await readFile(module));
  const folder = artifactFolder(root, c, moduleDigest);
  const name = artifactName(c.aot);
  if (
    existsSync(path.join(folder, 'meta.json')) &&
    hasOutput(path.join(folder, name), c.aot.output.kind)
  )
    return describe(folder, module, moduleDigest, c.aot, true);

  // a folder without its meta.json is what an older, interrupted layout left: start again
  if (existsSync(folder) && !existsSync(path.join(folder, 'meta.json')))
    await rm(folder, { recursive: true, force: true });
  const scratch = `${folder}.tmp-${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
  try {
    await mkdir(scratch, { recursive: true });
    const args = c.aot.compileArgs(module, path.join(scratch, name));
    const t0 = performance.now();
    const r = await runProcess(c.file, args, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 600_000,
      label: `${path.basename(c.file)} ${args[0]}`,
    });
    const compileMs = performance.now() - t0;
    if (r.exitCode !== 0 || !hasOutput(path.join(scratch, name), c.aot.output.kind)) {
      const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
      throw new Error(
        `${path.basename(c.file)} could not compile ${path.basename(module)} ahead of time (exit ${r.exitCode ?? r.signal}): ${said.slice(0, 600) || 'no output'}`,
      );
    }
    const meta: Meta = {
      compileMs,
      compiledAt: new Date().toISOString(),
      compiler: {
        file: c.file,
        args: c.aot.compileArgs(module, path.join(folder, name)),
        ...(c.version ? { version: c.version } : {}),
      },
    };
    await writeFile(path.join(scratch, 'meta.json'), JSON.stringify(meta, null, 2));
    try {
      await rename(scratch, folder);
    } catch (e) {
      // another process put the same artifact in place first: use theirs
      if (!existsSync(path.join(folder, 'meta.json'))) throw e;
      return describe(folder, module, moduleDigest, c.aot, true);
    }
    return describe(folder, module, moduleDigest, c.aot, false);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
