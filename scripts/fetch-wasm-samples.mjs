// Fetches real WebAssembly modules from pinned npm packages (npm pack: no install scripts run) into
// .cache/wasm-samples/, for the inspector's cross-check tests and benchmarks. Idempotent.
//   node scripts/fetch-wasm-samples.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const samplesDir = path.join(root, '.cache', 'wasm-samples');

/** package@version → the .wasm files wanted from it (paths inside the package). */
export const SAMPLES = {
  'esbuild-wasm@0.28.2': ['esbuild.wasm'],
  '@bytecodealliance/componentize-js@0.23.0': [
    'lib/starlingmonkey_embedding.wasm',
    'lib/starlingmonkey_embedding.debug.wasm',
    'lib/spidermonkey-embedding-splicer.core.wasm',
  ],
  '@bytecodealliance/jco@1.35.0': ['lib/wasi_snapshot_preview1.command.wasm'],
  '@bytecodealliance/jco-transpile@0.15.0': ['vendor/wasm-tools.core.wasm'],
  // napi-rs addons built for wasm32-wasip1-threads (Node-API through emnapi)
  '@node-rs/crc32-wasm32-wasi@1.10.6': ['crc32.wasm32-wasi.wasm'],
  '@oxc-parser/binding-wasm32-wasi@0.154.0': ['parser.wasm32-wasi.wasm'],
  '@rolldown/binding-wasm32-wasi@1.2.19': ['rolldown-binding.wasm32-wasi.wasm'],
  // Emscripten with minified imports (module "a"), and a dynamically linked one (dylink.0)
  'sql.js@1.16.0': ['dist/sql-wasm.wasm'],
  'web-tree-sitter@0.27.1': ['web-tree-sitter.wasm'],
};

export const sampleFile = (file) => path.join(samplesDir, path.basename(file));

function fetchPackage(spec, files) {
  if (files.every((f) => existsSync(sampleFile(f)))) return;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-samples-'));
  try {
    const tgz = execFileSync('npm', ['pack', spec, '--silent'], {
      cwd: tmp,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['xzf', tgz, ...files.map((f) => `package/${f}`)], {
      cwd: tmp,
      stdio: 'inherit',
    });
    for (const f of files) renameSync(path.join(tmp, 'package', f), sampleFile(f));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(samplesDir, { recursive: true });
  for (const [spec, files] of Object.entries(SAMPLES)) {
    try {
      fetchPackage(spec, files);
    } catch (e) {
      console.error(`fetch-wasm-samples: ${spec}: ${e.message}`);
      process.exitCode = 1;
    }
  }
  console.log(`wasm samples: ${readdirSync(samplesDir).join(', ')}`);
}
