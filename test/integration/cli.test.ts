import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCli, UsageError } from '../../src/cli/args';
import type { ProfileSpecFile } from '../../src/core/profile/spec';
import { loadResult } from '../../src/core/profile/results-store';
import type { CatalogJson } from '../../src/core/runtimes/runtime-report';
import { runProcess } from '../../src/core/process/run-process';
import { helloDir, parseJson, repoRoot, tempDir } from '../unit/helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
/** The built CLI with `args`, as a user runs it. */
const wc = (...args: string[]) => runProcess(process.execPath, [cli, ...args]);

describe('CLI arguments', () => {
  it('parses profile options and passthrough args', () => {
    assert.deepEqual(
      parseCli([
        'profile',
        'examples/hello',
        '--runs',
        '5',
        '--warmup',
        '0',
        '--markers',
        'Starting,Stopped',
        '--runtime',
        'node-wasi',
        '--runtime',
        'wasmtime',
        '--storm',
        '1,10',
        '--density',
        '10,100',
        '--memory-interval',
        '50',
        '--baseline',
        'b.json',
        '--fail-if-slower',
        '10%',
        '--',
        'sleep',
        '1',
      ]),
      {
        command: 'profile',
        path: 'examples/hello',
        native: undefined,
        runtimes: ['node-wasi', 'wasmtime'],
        runs: 5,
        warmup: 0,
        order: undefined,
        markers: ['Starting', 'Stopped'],
        timeoutMs: undefined,
        storm: [1, 10],
        density: [10, 100],
        readyMarker: 'Starting',
        memoryIntervalMs: 50,
        coldStart: true,
        baseline: 'b.json',
        failIfSlowerPct: 10,
        exportJson: undefined,
        exportMarkdown: undefined,
        exportCsv: undefined,
        exportHtml: undefined,
        resultsDir: undefined,
        json: false,
        args: ['sleep', '1'],
        runtimePath: [],
      },
    );
    assert.throws(() => parseCli(['profile', '--fail-if-slower', '10%']), /needs --baseline/);
    assert.throws(() => parseCli(['profile', '--storm', '1,x']), /whole number/);
  });
  it('parses run with runtime, mapped directories and environment', () => {
    assert.deepEqual(
      parseCli([
        'run',
        'm.wasm',
        '--runtime',
        'wasmtime',
        '--dir',
        '/h::/g',
        '--dir',
        '/same',
        '--env',
        'A=1=2',
        '--',
        'x',
      ]),
      {
        command: 'run',
        module: 'm.wasm',
        runtime: 'wasmtime',
        dirs: [
          { host: '/h', guest: '/g' },
          { host: '/same', guest: '/same' },
        ],
        env: { A: '1=2' },
        args: ['x'],
        runtimePath: [],
      },
    );
    assert.equal(
      (parseCli(['run', 'm.wasm']) as { runtime?: string }).runtime,
      undefined,
      'no --runtime: the CLI default ($WASM_CONTAINERS_RUNTIME, else node-wasi) is resolved when it runs',
    );
    assert.throws(() => parseCli(['run', 'm.wasm', '--env', 'NOVALUE']), /KEY=VALUE/);
    assert.deepEqual(parseCli(['runtimes', '--json']), {
      command: 'runtimes',
      json: true,
      runtimePath: [],
    });
    assert.deepEqual(
      (
        parseCli(['runtimes', '--runtime-path', 'wasmtime=/x', '--runtime-path', 'node=/n']) as {
          runtimePath: string[];
        }
      ).runtimePath,
      ['wasmtime=/x', 'node=/n'],
    );
  });
  it('prints help for --help after a command, never for a program argument after --', () => {
    for (const argv of [['--help'], ['build', '--help'], ['profile', 'm.wasm', '-h']])
      assert.deepEqual(parseCli(argv), { command: 'help' }, argv.join(' '));
    assert.deepEqual((parseCli(['run', 'm.wasm', '--', '--help']) as { args: string[] }).args, [
      '--help',
    ]);
  });

  it('rejects bad values with a usage error', () => {
    assert.throws(() => parseCli(['profile', '--runs', '0']), UsageError);
    assert.throws(() => parseCli(['profile', '--runs', 'many']), /whole number/);
    assert.throws(() => parseCli(['profile', '--order', 'random']), /interleaved or sequential/);
    assert.throws(() => parseCli(['profile', '--markers', 'one']), /START,STOP/);
    assert.throws(() => parseCli(['profile', '--bogus']), UsageError);
    assert.throws(() => parseCli(['frobnicate']), /unknown command/);
  });
});

describe('wasm-containers CLI (bundled)', () => {
  it('profile prints the comparison and writes every export', async () => {
    const dir = tempDir();
    const r = await wc(
      'profile',
      helloDir,
      '--runs',
      '3',
      '--warmup',
      '1',
      '--results-dir',
      path.join(dir, 'runs'),
      '--export-json',
      path.join(dir, 'r.json'),
      '--export-markdown',
      path.join(dir, 'r.md'),
      '--export-csv',
      path.join(dir, 'r.csv'),
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /wasm · node-wasi\s+[\d.]+ KiB\s+[\d.]+ KiB \/ [\d.]+ KiB\s+[\d.]+ ms/);
    assert.match(r.stdout, /native · process\s+[\d.]+ KiB/);
    assert.match(
      r.stdout,
      /^ {2}Wasm under Node WASI: image \d+× smaller · starts .* · .* memory (than|as|compared with) native/m,
    );
    assert.match(r.stderr, /Result \(every raw sample\): .*runs\/.*\.json/);
    const json = loadResult(path.join(dir, 'r.json'));
    assert.equal(json.targets.length, 2);
    assert.equal(json.targets[0].samples.length, 3);
    assert.equal(readdirSync(path.join(dir, 'runs')).length, 1);
    assert.match(readFileSync(path.join(dir, 'r.md'), 'utf8'), /^# Wasm vs native/);
    assert.equal(readFileSync(path.join(dir, 'r.csv'), 'utf8').trim().split('\n').length, 1 + 8);
  });

  it('run exits with the module exit code', async () => {
    const r = await wc('run', path.join(helloDir, 'hello.wasm'), '--', 'exit', '4');
    assert.equal(r.exitCode, 4);
  });

  it('run on a Dockerfile runs its module with the entrypoint arguments and environment', async () => {
    const dir = tempDir();
    copyFileSync(path.join(helloDir, 'hello.wasm'), path.join(dir, 'hello.wasm'));
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM scratch\nENV WHO=dockerfile\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm", "env"]\nCMD ["WHO"]\n',
    );
    const r = await wc('run', path.join(dir, 'Dockerfile'));
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'dockerfile\n');
    const native = await wc('run', path.join(helloDir, 'Dockerfile.native'));
    assert.equal(native.exitCode, 1);
    assert.match(native.stderr, /runs \/hello, a native executable, not a Wasm module/);
  });

  it('run maps directories and passes the environment to the module', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'note.txt'), 'mapped file\n');
    const cat = await wc(
      'run',
      path.join(helloDir, 'hello.wasm'),
      '--dir',
      `${dir}::/data`,
      '--',
      'cat',
      '/data/note.txt',
    );
    assert.equal(cat.stdout, 'mapped file\n');
    const env = await wc(
      'run',
      path.join(helloDir, 'hello.wasm'),
      '--env',
      'WHO=cli',
      '--',
      'env',
      'WHO',
    );
    assert.equal(env.stdout, 'cli\n');
  });

  it('runtimes --json lists every runtime with availability and reasons', async () => {
    const r = await wc('runtimes', '--json');
    assert.equal(r.exitCode, 0, r.stderr);
    const json = JSON.parse(r.stdout) as {
      runtimes: Array<{ id: string; available: boolean; reason?: string }>;
    };
    const ids = json.runtimes.map((x) => x.id);
    for (const id of [
      'node-wasi',
      'wasmtime',
      'wasmedge',
      'wasmer',
      'iwasm',
      'process',
      'docker-runc',
      'docker-crun',
      'docker-runsc',
      'docker-kata',
    ])
      assert.ok(ids.includes(id), `${id} missing from ${ids.join(', ')}`);
    assert.ok(
      json.runtimes.every((x) => x.available || (x.reason && x.reason.length > 10)),
      'every missing runtime says why',
    );
  });

  it('run under a runtime that is absent fails with how to get it', async (t) => {
    const listed = await wc('runtimes', '--json');
    const absent = parseJson<CatalogJson>(listed.stdout).runtimes.find(
      (x) => x.runs === 'wasm' && x.kind === 'process' && !x.available,
    );
    if (!absent) return t.skip('every Wasm runtime CLI is installed on this machine');
    const r = await wc('run', path.join(helloDir, 'hello.wasm'), '--runtime', absent.id);
    assert.equal(r.exitCode, 1);
    assert.ok(
      r.stderr.includes(`${absent.displayName} is not available: ${absent.reason}`),
      r.stderr,
    );
    const unknown = await wc('run', path.join(helloDir, 'hello.wasm'), '--runtime', 'bogus');
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /unknown Wasm runtime 'bogus' \(known: node-wasi, wasmtime/);
  });

  it('init writes a spec that profile runs; a baseline regression exits 3', async () => {
    const dir = tempDir();
    for (const f of ['hello.wasm', 'hello'])
      copyFileSync(path.join(helloDir, f), path.join(dir, f));
    chmodSync(path.join(dir, 'hello'), 0o755);
    const init = await wc('init', dir);
    assert.equal(init.exitCode, 0, init.stderr);
    const specFile = path.join(dir, 'wasm-containers.profile.json');
    const spec = parseJson<ProfileSpecFile>(readFileSync(specFile));
    // the module under every Wasm runtime detected (Node WASI first), then the native twin
    const listed = await wc('runtimes', '--json');
    const detected = parseJson<CatalogJson>(listed.stdout)
      .runtimes.filter((x) => x.runs === 'wasm' && x.kind === 'process' && x.available)
      .map((x) => x.id);
    assert.deepEqual(
      spec.targets.map((t) => [t.id, t.runtime, t.artifact]),
      [
        ...detected.map((id) => [`wasm-${id}`, id, 'hello.wasm']),
        ['native-process', 'process', 'hello'],
      ],
    );
    assert.equal(detected[0], 'node-wasi');
    const again = await wc('init', dir);
    assert.equal(again.exitCode, 1);
    assert.match(again.stderr, /exists already/);

    // each profile: 3 runs, no warm-up, stored in the folder's runs/
    const profile = (...options: string[]) =>
      wc(
        'profile',
        specFile,
        '--runs',
        '3',
        '--warmup',
        '0',
        '--results-dir',
        path.join(dir, 'runs'),
        ...options,
      );
    const run = await profile('--storm', '2', '--export-json', path.join(dir, 'now.json'));
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /^ {2}Wasm under Node WASI: .* native/m);
    assert.match(run.stdout, /Start storms/);
    // a baseline whose cold starts were 100× faster: today's run has regressed
    const baseline = loadResult(path.join(dir, 'now.json'));
    for (const t of baseline.targets) for (const s of t.samples) s.wallMs /= 100;
    writeFileSync(path.join(dir, 'fast.json'), JSON.stringify(baseline));
    const regressed = await profile('--no-cold-start', '--baseline', path.join(dir, 'now.json'));
    assert.equal(regressed.exitCode, 0, regressed.stderr);
    const slower = await profile(
      '--baseline',
      path.join(dir, 'fast.json'),
      '--fail-if-slower',
      '10%',
    );
    assert.equal(slower.exitCode, 3, slower.stdout + slower.stderr);
    assert.match(
      slower.stdout,
      /Against baseline .* \(threshold 10%\):\n {2}wasm-node-wasi: .* slower/,
    );
  });

  it('errors say what failed and exit non-zero', async () => {
    const usage = await wc('profile', '--runs', 'x');
    assert.equal(usage.exitCode, 2);
    assert.match(usage.stderr, /--runs expects a whole number/);
    const missing = await wc('profile', '/nonexistent');
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, /\/nonexistent does not exist/);
  });
});
