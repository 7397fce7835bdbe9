// Bundles every entry point with esbuild and compiles the wc-exec measurement helper.
//   node scripts/build.mjs [--watch]
import { build, context } from 'esbuild';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  existsSync,
  statSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');

// docker-modem pulls in ssh2, which tries optional native addons inside try/catch: answer those
// requires with a throwing stub so the pure-JS fallbacks are used and nothing native is bundled.
const nativeAddonStub = {
  name: 'native-addon-stub',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, namespace: 'native-stub' }));
    b.onResolve({ filter: /^cpu-features$/ }, (args) => ({
      path: args.path,
      namespace: 'native-stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'native-stub' }, () => ({
      contents: 'throw new Error("native addon not bundled");',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
  define: { __WASM_CONTAINERS_VERSION__: JSON.stringify(pkg.version) },
  plugins: [nativeAddonStub],
};

const nodeBundles = {
  ...common,
  entryPoints: {
    extension: 'src/extension/extension.ts',
    server: 'src/server/server.ts',
    'node-wasi-runner': 'src/core/runtimes/node-wasi-runner.ts',
    // wabt.js (700 KB) is loaded only when asked for (validation, whole-module text, WAT diagnostics)
    wabt: 'src/core/wasm/wabt-entry.ts',
    'wabt-worker': 'src/core/wasm/wabt-worker.ts',
  },
  outdir: 'dist',
};
// built once, on its own, because only the CLI gets the #! line
const cliBanner = {
  ...nodeBundles,
  entryPoints: { cli: 'src/cli/main.ts' },
  banner: { js: '#!/usr/bin/env node' },
};
const extensionTests = {
  ...common,
  entryPoints: ['test/exthost/suite/*.ts'],
  outdir: 'out/test/exthost/suite',
  external: ['vscode', 'mocha'],
};

function buildHelper() {
  const src = path.join(root, 'native/wc-exec.c');
  const out = path.join(root, 'dist/bin/wc-exec');
  mkdirSync(path.dirname(out), { recursive: true });
  if (existsSync(out) && statSync(out).mtimeMs > statSync(src).mtimeMs) return;
  const cc = ['cc', 'gcc', 'clang'].find((c) => {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!cc) {
    console.warn(
      'warning: no C compiler: dist/bin/wc-exec not built; profiles fall back to polled (inexact) peak memory.',
    );
    return;
  }
  // static when possible so the helper shipped in the .vsix runs on any x86-64 Linux
  for (const extra of [['-static'], []]) {
    try {
      execFileSync(cc, ['-O2', '-Wall', ...extra, src, '-o', out], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      return;
    } catch (e) {
      if (extra.length === 0) console.warn(`warning: building wc-exec failed: ${e.stderr}`);
    }
  }
}

process.chdir(root);
// stale files (old source maps) must not ship beside the bundles
rmSync(path.join(root, 'dist/webview'), { recursive: true, force: true });
buildHelper();
// dockerode's BuildKit session (buildImage with version '2') loads its .proto from beside the code
cpSync(path.join(root, 'node_modules/dockerode/lib/proto'), path.join(root, 'dist/proto'), {
  recursive: true,
});
const configs = [nodeBundles, cliBanner, extensionTests];
if (existsSync('webview')) {
  const webviewEntries = readdirSync('webview').filter((f) => /^[a-z-]+\.ts$/.test(f));
  if (webviewEntries.length > 0) {
    // minified and without source maps: the standalone report inlines this bundle and must reference no other file
    configs.push({
      ...common,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      external: [],
      plugins: [],
      minify: true,
      sourcemap: false,
      entryPoints: webviewEntries.map((f) => `webview/${f}`),
      outdir: 'dist/webview',
    });
  }
}
if (watch) {
  for (const c of configs) await (await context(c)).watch();
  console.log('watching…');
} else {
  await Promise.all(configs.map((c) => build(c)));
}
