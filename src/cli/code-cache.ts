import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { toolCacheDir } from '../core/cache-dir';

/**
 * The content hash of each bundle the CLI requires (dist/cli-*.js, the commands, and
 * dist/schema-*.js, the schemas' validators), inlined by scripts/build.mjs after it has written
 * them; null in watch mode, where a bundle changes under a running build.
 */
declare const __CLI_CHUNK_HASHES__: Record<string, string> | null;

/** Where the code cache of the bundle of this hash is kept, one per Node version and arch. */
const cacheFileOf = (name: string, hash: string) =>
  path.join(toolCacheDir(), 'v8', `${name}-${hash}-node${process.version}-${process.arch}.bin`);

const unsaved: Array<{ file: string; script: vm.Script }> = [];
let installed = false;

/**
 * From now on, every bundle of __CLI_CHUNK_HASHES__ this process requires (a command's, then the
 * schema validator it asks for) is compiled with V8's code cache when one is stored for that exact
 * bundle (by content hash) and this Node: Node 20 has no module.enableCompileCache, and parsing
 * plus compiling the functions a command runs is most of its start beyond Node's own. A bundle
 * whose cache is missing or rejected by V8 loads from source and is cached by saveCodeCaches().
 * Node's own loader loads it (resolution, require.cache, the module object, its hooks); only the
 * compile step is ours for these files: the same wrapper, with the cached data.
 * WASM_CONTAINERS_CODE_CACHE=0 turns it off (the benchmark compares both).
 */
function installCodeCache(): void {
  if (installed || !__CLI_CHUNK_HASHES__ || process.env.WASM_CONTAINERS_CODE_CACHE === '0') return;
  installed = true;
  const hashes = __CLI_CHUNK_HASHES__;
  const proto = Module.prototype as unknown as { _compile: CompileStep };
  const compile = proto._compile;
  proto._compile = function (this: NodeJS.Module, content: string, filename: string) {
    const name = path.basename(filename);
    const hash = path.dirname(filename) === __dirname ? hashes[name] : undefined;
    if (!hash) return compile.call(this, content, filename);
    const cacheFile = cacheFileOf(path.basename(name, '.js'), hash);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // not cached yet: compiled from source, then cached
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) unsaved.push({ file: cacheFile, script });
    const wrapper = script.runInThisContext() as CommonJsWrapper;
    return wrapper.call(
      this.exports,
      this.exports,
      createRequire(filename),
      this,
      filename,
      path.dirname(filename),
    );
  };
}

/** Requires a command's bundle (dist/cli-*.js), with the code caches of installCodeCache(). */
export function requireChunk(relative: string): unknown {
  installCodeCache();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, relative));
}

type CompileStep = (this: NodeJS.Module, content: string, filename: string) => unknown;
type CommonJsWrapper = (
  this: unknown,
  exports: unknown,
  require: NodeJS.Require,
  module: NodeJS.Module,
  filename: string,
  dirname: string,
) => unknown;

/**
 * Stores the code cache of each bundle this run compiled from source; after the command, so that
 * the functions it ran are in the cache too. Best effort: a cache that cannot be written costs
 * the next start its compile, nothing else.
 */
export function saveCodeCaches(): void {
  for (const { file, script } of unsaved.splice(0)) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, file);
    } catch {
      // read-only or full cache folder
    }
  }
}
