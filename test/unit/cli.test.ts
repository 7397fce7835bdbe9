import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCli, UsageError } from '../../src/cli/args';
import { runProcess } from '../../src/core/process/run-process';
import { helloDir, repoRoot, tempDir } from './helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');

describe('CLI arguments', () => {
  it('parses profile options and passthrough args', () => {
    assert.deepEqual(parseCli(['profile', 'examples/hello', '--runs', '5', '--warmup', '0', '--markers', 'Starting,Stopped', '--', 'sleep', '1']), {
      command: 'profile', path: 'examples/hello', native: undefined, runs: 5, warmup: 0, order: 'interleaved', markers: ['Starting', 'Stopped'],
      timeoutMs: 60_000, exportJson: undefined, exportMarkdown: undefined, exportCsv: undefined, resultsDir: undefined, json: false, args: ['sleep', '1'],
    });
  });
  it('parses run with runtime, mapped directories and environment', () => {
    assert.deepEqual(parseCli(['run', 'm.wasm', '--runtime', 'wasmtime', '--dir', '/h::/g', '--dir', '/same', '--env', 'A=1=2', '--', 'x']), {
      command: 'run', module: 'm.wasm', runtime: 'wasmtime', dirs: [{ host: '/h', guest: '/g' }, { host: '/same', guest: '/same' }], env: { A: '1=2' }, args: ['x'],
    });
    assert.equal((parseCli(['run', 'm.wasm']) as { runtime: string }).runtime, 'node-wasi');
    assert.throws(() => parseCli(['run', 'm.wasm', '--env', 'NOVALUE']), /KEY=VALUE/);
    assert.deepEqual(parseCli(['runtimes', '--json']), { command: 'runtimes', json: true });
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
    const r = await runProcess(process.execPath, [cli, 'profile', helloDir, '--runs', '3', '--warmup', '1', '--results-dir', path.join(dir, 'runs'),
      '--export-json', path.join(dir, 'r.json'), '--export-markdown', path.join(dir, 'r.md'), '--export-csv', path.join(dir, 'r.csv')]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /wasm · node-wasi\s+[\d.]+ KiB\s+[\d.]+ ms/);
    assert.match(r.stdout, /native · process\s+[\d.]+ KiB/);
    assert.match(r.stdout, /wasm · node-wasi vs native · process: size .*cold start .*peak memory/);
    assert.match(r.stderr, /Result \(every raw sample\): .*runs\/.*\.json/);
    const json = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    assert.equal(json.targets.length, 2);
    assert.equal(json.targets[0].samples.length, 3);
    assert.equal(readdirSync(path.join(dir, 'runs')).length, 1);
    assert.match(readFileSync(path.join(dir, 'r.md'), 'utf8'), /^# Wasm vs native/);
    assert.equal(readFileSync(path.join(dir, 'r.csv'), 'utf8').trim().split('\n').length, 1 + 8);
  });

  it('run exits with the module exit code', async () => {
    const r = await runProcess(process.execPath, [cli, 'run', path.join(helloDir, 'hello.wasm'), '--', 'exit', '4']);
    assert.equal(r.exitCode, 4);
  });

  it('run maps directories and passes the environment to the module', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'note.txt'), 'mapped file\n');
    const cat = await runProcess(process.execPath, [cli, 'run', path.join(helloDir, 'hello.wasm'), '--dir', `${dir}::/data`, '--', 'cat', '/data/note.txt']);
    assert.equal(cat.stdout, 'mapped file\n');
    const env = await runProcess(process.execPath, [cli, 'run', path.join(helloDir, 'hello.wasm'), '--env', 'WHO=cli', '--', 'env', 'WHO']);
    assert.equal(env.stdout, 'cli\n');
  });

  it('runtimes --json lists every runtime with availability and reasons', async () => {
    const r = await runProcess(process.execPath, [cli, 'runtimes', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { runtimes: Array<{ id: string; available: boolean; reason?: string }> };
    const ids = json.runtimes.map((x) => x.id);
    for (const id of ['node-wasi', 'wasmtime', 'wasmedge', 'wasmer', 'iwasm', 'process', 'docker-runc', 'docker-crun', 'docker-runsc', 'docker-kata']) assert.ok(ids.includes(id), `${id} missing from ${ids}`);
    assert.ok(json.runtimes.every((x) => x.available || (x.reason && x.reason.length > 10)), 'every missing runtime says why');
  });

  it('run under a runtime that is absent fails with how to get it', async () => {
    const r = await runProcess(process.execPath, [cli, 'run', path.join(helloDir, 'hello.wasm'), '--runtime', 'iwasm']);
    if (r.exitCode === 0) return; // iwasm is really installed here
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /WAMR \(iwasm\) is not available: iwasm is not on PATH/);
    const unknown = await runProcess(process.execPath, [cli, 'run', path.join(helloDir, 'hello.wasm'), '--runtime', 'bogus']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /unknown Wasm runtime 'bogus' \(known: node-wasi, wasmtime/);
  });

  it('errors say what failed and exit non-zero', async () => {
    const usage = await runProcess(process.execPath, [cli, 'profile', '--runs', 'x']);
    assert.equal(usage.exitCode, 2);
    assert.match(usage.stderr, /--runs expects a whole number/);
    const missing = await runProcess(process.execPath, [cli, 'profile', '/nonexistent']);
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, /\/nonexistent does not exist/);
  });
});
