// Bundles every entry point with esbuild and compiles the wc-exec measurement helper.
//   node scripts/build.mjs [--watch] [--production]
// --production (npm run package): minified bundles with their source maps beside them. Either way
// the heavy third-party libraries are bundles of their own (dist/vendor-*.js), required on first
// use, and the build prints every bundle's size.
import { build, context } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
import { schemaNames, schemaValidatorEntries } from './schema-validators.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

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
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  define: { __WASM_CONTAINERS_VERSION__: JSON.stringify(pkg.version) },
  plugins: [nativeAddonStub],
  metafile: true,
};

// Libraries loaded on first use through requireVendor() (src/core/paths.ts): each is one CommonJS
// bundle exporting the package, beside the others in dist/ (dockerode finds its .proto files there).
const vendor = {
  dockerode: 'dockerode',
  languageclient: 'vscode-languageclient/node',
  // for the CLI's commands only (see vendorInCli)
  ajv: 'ajv',
};
const vendorEntry = {
  name: 'vendor-entry',
  setup(b) {
    b.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
      path: args.path.slice('vendor-entry:'.length),
      namespace: 'vendor-entry',
    }));
    b.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};
const vendorBundles = {
  ...common,
  entryPoints: Object.fromEntries(
    Object.entries(vendor).map(([name, pkgName]) => [`vendor-${name}`, `vendor-entry:${pkgName}`]),
  ),
  plugins: [nativeAddonStub, vendorEntry],
  outdir: 'dist',
};

const nodeBundles = {
  ...common,
  entryPoints: {
    server: 'src/server/server.ts',
    'node-wasi-runner': 'src/core/runtimes/node-wasi-runner.ts',
    // the daemonless image builder's thread: the editor's heap never holds a module's layer
    'image-worker': 'src/core/oci/image-worker.ts',
    // wabt.js (700 KB) is loaded only when asked for (validation, whole-module text, WAT diagnostics)
    wabt: 'src/core/wasm/wabt-entry.ts',
    'wabt-worker': 'src/core/wasm/wabt-worker.ts',
  },
  outdir: 'dist',
};
// The extension on its own, for its first and last lines: when its code began and finished
// evaluating, which activate() reports beside its own duration (the log's "activated in …" line)
const extensionBundle = {
  ...nodeBundles,
  entryPoints: { extension: 'src/extension/extension.ts' },
  // ("use strict" first: the directive must open the file to make it strict)
  banner: { js: "'use strict';\nvar __wcLoadStart = performance.now(), __wcLoadEnd;" },
  footer: { js: '__wcLoadEnd = performance.now();' },
};
// The CLI: dist/cli.js parses the arguments and requires the one command bundle it runs
// (dist/cli-<file>.js, from src/cli/<file>-command.ts, imported dynamically by src/cli/main.ts).
const cliCommands = readdirSync('src/cli')
  .filter((f) => f.endsWith('-command.ts'))
  .map((f) => f.slice(0, -'-command.ts'.length));
const lazyCliCommands = {
  name: 'lazy-cli-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+-command$/ }, (args) => {
      if (
        args.kind !== 'dynamic-import' ||
        !args.importer.endsWith(path.join('src', 'cli', 'main.ts'))
      )
        return undefined;
      return { path: `./cli-${args.path.slice(2, -'-command'.length)}.js`, namespace: 'lazy-cli' };
    });
    // a require of the command's bundle, with V8's code cache (src/cli/code-cache.ts); an
    // external import() would go through Node's ESM loader, which parses the whole CommonJS file
    // once more for its export names
    b.onLoad({ filter: /.*/, namespace: 'lazy-cli' }, (args) => ({
      contents: `module.exports = require('./code-cache').requireChunk(${JSON.stringify(args.path.slice(2))});`,
      resolveDir: path.join(root, 'src', 'cli'),
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/cli-[a-z-]+\.js$/ }, (args) =>
      args.namespace === 'lazy-cli' ? { path: args.path, external: true } : undefined,
    );
  },
};
// built on its own, because only the CLI gets the #! line
const cliBanner = {
  ...nodeBundles,
  entryPoints: { cli: 'src/cli/main.ts' },
  banner: { js: '#!/usr/bin/env node' },
  plugins: [nativeAddonStub, lazyCliCommands],
};
// ajv's compiler, which the commands require only when a schema's generated validator is missing
// or stale (src/core/schema-validate.ts), is required from its vendor bundle: bundled in, its
// 260 KB were a third of dist/cli-profile.js, read (and their code cache loaded) at every profile
const vendorInCli = {
  name: 'vendor-in-cli',
  setup(b) {
    b.onResolve({ filter: /^ajv$/ }, () => ({ path: './vendor-ajv.js', external: true }));
  },
};
const cliCommandBundles = {
  ...nodeBundles,
  entryPoints: Object.fromEntries(cliCommands.map((c) => [`cli-${c}`, `src/cli/${c}-command.ts`])),
  plugins: [...nodeBundles.plugins, vendorInCli],
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
// the JSON schemas' validators, compiled ahead of time (dist/schema-<name>.js)
const schemaValidators = { ...common, entryPoints: schemaValidatorEntries(root), outdir: 'dist' };
const configs = [
  nodeBundles,
  extensionBundle,
  cliCommandBundles,
  vendorBundles,
  extensionTests,
  schemaValidators,
];
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
/** The CLI entry, knowing each command bundle's content hash (null: no code cache, see below). */
const cliEntry = (hashes) => ({
  ...cliBanner,
  define: { ...cliBanner.define, __CLI_CHUNK_HASHES__: JSON.stringify(hashes) },
});
if (watch) {
  // a command bundle rebuilt on its own would not match the hash its code cache was keyed by
  for (const c of [...configs, cliEntry(null)]) await (await context(c)).watch();
  console.log('watching…');
} else {
  const results = await Promise.all(configs.map((c) => build(c)));
  // the command bundles first: the entry keys their V8 code caches by these hashes
  // (and the schemas' validators, which the commands require)
  const hashes = Object.fromEntries(
    [
      ...cliCommands.map((c) => `cli-${c}.js`),
      ...schemaNames(root).map((n) => `schema-${n}.js`),
    ].map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(path.join(root, 'dist', file)))
        .digest('hex')
        .slice(0, 16),
    ]),
  );
  results.push(await build(cliEntry(hashes)));
  printSizes(results.flatMap((r) => Object.entries(r.metafile?.outputs ?? {})));
}

/** Every bundle the extension or the CLI ships, with its size (source maps are not shipped). */
function printSizes(outputs) {
  const shipped = outputs
    .filter(([file]) => file.startsWith('dist/') && file.endsWith('.js'))
    .sort(([a], [b]) => a.localeCompare(b));
  const kib = (n) => `${(n / 1024).toFixed(0).padStart(6)} KiB`;
  const lines = shipped.map(([file, o]) => `  ${kib(o.bytes)}  ${file}`);
  console.log(
    `bundles (${production ? 'production: minified' : 'development'}):\n${lines.join('\n')}`,
  );
}
