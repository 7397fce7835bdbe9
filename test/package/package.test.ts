// The release package as `npm run package` makes it (minified bundles, the .vsix): what it ships,
// how big the extension's bundle is (issue budget: ≤ 1 MB), and that the CLI inside it runs. The
// package step once broke unnoticed (two readme files vsce refuses): this tier builds it every time.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const vsix = path.join(root, 'dist/wasm-containers.vsix');
const hello = path.join(root, 'examples/hello/hello.wasm');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the release package (npm run package:vsix)', () => {
  let unpacked = '';
  let entries: string[] = [];

  before(() => {
    execFileSync(npm, ['run', 'package:vsix', '--silent'], { cwd: root, stdio: 'pipe' });
    unpacked = mkdtempSync(path.join(os.tmpdir(), 'wc-vsix-'));
    execFileSync('unzip', ['-q', vsix, '-d', unpacked]);
    entries = execFileSync('zipinfo', ['-1', vsix], { encoding: 'utf8' }).trim().split('\n');
  });
  after(() => {
    if (unpacked) rmSync(unpacked, { recursive: true, force: true });
    // the other tiers run the development bundles (source maps, readable stacks)
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
  });

  it('ships the bundles, the helper, one readme and no sources, maps or node_modules', () => {
    for (const f of [
      'extension/package.json',
      'extension/readme.md',
      'extension/dist/extension.js',
      'extension/dist/cli.js',
      'extension/dist/server.js',
      'extension/dist/image-worker.js',
      'extension/dist/bin/wc-exec',
    ])
      assert.ok(entries.includes(f), `${f} missing from the .vsix`);
    const readmes = entries.filter((e) => /^extension\/readme\.md$/i.test(e));
    assert.equal(readmes.length, 1, readmes.join(', '));
    const stray = entries.filter((e) =>
      /\.map$|\.ts$|^extension\/(src|test|node_modules)\//.test(e),
    );
    assert.deepEqual(stray, []);
  });

  it('ships a minified extension bundle within the 1 MB budget', () => {
    const file = path.join(unpacked, 'extension/dist/extension.js');
    const bytes = statSync(file).size;
    console.log(`    extension.js in the .vsix: ${bytes} bytes`);
    assert.ok(bytes <= 1_000_000, `extension.js is ${bytes} bytes`);
    // minified: long lines (template literals keep their own newlines); the development bundle's
    // lines average ~40 characters
    const lines = readFileSync(file, 'utf8').split('\n').length;
    assert.ok(bytes / lines > 500, `extension.js has ${lines} lines: not minified`);
  });

  it('runs the CLI from the package: --version and inspect through its lazy command bundles', () => {
    const cli = path.join(unpacked, 'extension/dist/cli.js');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const version = execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    assert.match(version, new RegExp(pkg.version.replace(/\./g, '\\.')));
    const out = execFileSync(process.execPath, [cli, 'inspect', hello, '--json'], {
      encoding: 'utf8',
    });
    const summary = JSON.parse(out) as { binary: { exports: { name: string; kind: string }[] } };
    assert.ok(
      summary.binary.exports.some((e) => e.name === '_start' && e.kind === 'func'),
      out.slice(0, 300),
    );
  });

  it('profiles from the package: hello.wasm under Node WASI against its native twin', () => {
    // the lazy profile bundle, the generated schema validators and wc-exec, as the .vsix lays them out
    const cli = path.join(unpacked, 'extension/dist/cli.js');
    const json = path.join(unpacked, 'profile.json');
    execFileSync(
      process.execPath,
      [cli, 'profile', hello, '--runs', '2', '--warmup', '0', '--export-json', json],
      { cwd: unpacked, stdio: 'pipe', env: { ...process.env, WASM_CONTAINERS_RUNTIME: '' } },
    );
    const result = JSON.parse(readFileSync(json, 'utf8')) as {
      status: string;
      environment: { measurement: string };
      targets: { runtime: string; samples: { error?: string }[] }[];
    };
    assert.equal(result.status, 'complete');
    assert.equal(result.environment.measurement, 'wait4', 'wc-exec was not found in the package');
    assert.deepEqual(result.targets.map((t) => t.runtime).sort(), ['node-wasi', 'process']);
    for (const t of result.targets)
      assert.deepEqual(
        t.samples.map((x) => x.error),
        [undefined, undefined],
      );
  });
});
