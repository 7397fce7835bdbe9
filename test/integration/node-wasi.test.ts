import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { NodeWasiRuntime } from '../../src/core/runtimes/node-wasi';
import { helloNative, helloWasm, tempDir } from '../unit/helpers';

const wasi = new NodeWasiRuntime();
const HEADER = [0x00, 0x61, 0x73, 0x6d];
/** A core module importing gojs.debug, as Go's js/wasm port does. */
const GO_JS_MODULE = Buffer.from([
  ...HEADER,
  1,
  0,
  0,
  0,
  0x01,
  0x04,
  0x01,
  0x60,
  0x00,
  0x00,
  0x02,
  0x0e,
  0x01,
  0x04,
  ...Buffer.from('gojs'),
  0x05,
  ...Buffer.from('debug'),
  0x00,
  0x00,
]);
const EMPTY_COMPONENT = Buffer.from([...HEADER, 0x0d, 0x00, 0x01, 0x00]);
const EMPTY_MODULE = Buffer.from([...HEADER, 1, 0, 0, 0]);

function writeModule(bytes: Buffer, name: string): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
}

describe('Node WASI runtime (the embedded default)', () => {
  it('is always available and reports its Node version', async () => {
    const d = await wasi.detect();
    assert.equal(d.available, true);
    assert.equal(d.version, `node ${process.versions.node}`);
  });

  it('runs the example module in a separate process', async () => {
    const chunks: string[] = [];
    const r = await wasi.run(
      { artifact: helloWasm },
      { onStdout: (c) => chunks.push(c.toString()) },
    );
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, 'Hello from a Wasm container!\n');
    assert.equal(chunks.join(''), r.stdout);
    assert.equal(r.stderr, '', 'no ExperimentalWarning noise on stderr');
    assert.notEqual(Number(r.id), process.pid);
  });

  it('preserves the exit code (exit 3 reports 3)', async () => {
    const r = await wasi.run({ artifact: helloWasm, args: ['exit', '3'] });
    assert.equal(r.exitCode, 3);
  });

  it('maps directories and passes the environment', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'greeting.txt'), 'from the host\n');
    const cat = await wasi.run({
      artifact: helloWasm,
      args: ['cat', '/data/greeting.txt'],
      dirs: [{ host: dir, guest: '/data' }],
    });
    assert.equal(cat.stdout, 'from the host\n');
    const unmapped = await wasi.run({ artifact: helloWasm, args: ['cat', '/data/greeting.txt'] });
    assert.equal(unmapped.exitCode, 1, 'without a mapping the guest sees no host files');
    const env = await wasi.run({
      artifact: helloWasm,
      args: ['env', 'GREETING'],
      env: { GREETING: 'hi there' },
    });
    assert.equal(env.stdout, 'hi there\n');
    process.env.WC_HOST_ONLY = 'secret';
    const leak = await wasi.run({ artifact: helloWasm, args: ['env', 'WC_HOST_ONLY'] });
    delete process.env.WC_HOST_ONLY;
    assert.equal(leak.exitCode, 1, 'the host environment does not leak into the guest');
  });

  it('refuses a component with the reason and the way out', async () => {
    const r = await wasi.run({ artifact: writeModule(EMPTY_COMPONENT, 'c.wasm') });
    assert.equal(r.exitCode, 125);
    assert.match(r.stderr, /is a WebAssembly component \(WASI preview2\).*wasmtime/);
  });

  it('explains a Go js/wasm module instead of failing to link', async () => {
    const r = await wasi.run({ artifact: writeModule(GO_JS_MODULE, 'go.wasm') });
    assert.equal(r.exitCode, 125);
    assert.match(r.stderr, /Go js\/wasm module.*GOOS=wasip1/);
  });

  it('explains a module without _start, a non-wasm file and a missing file', async () => {
    const reactor = await wasi.run({ artifact: writeModule(EMPTY_MODULE, 'lib.wasm') });
    assert.equal(reactor.exitCode, 125);
    assert.match(reactor.stderr, /exports no _start/);
    const text = await wasi.run({ artifact: writeModule(Buffer.from('hello'), 'text.wasm') });
    assert.match(text.stderr, /not a WebAssembly binary.*byte offset 0/);
    const missing = await wasi.run({ artifact: '/nonexistent/x.wasm' });
    assert.match(missing.stderr, /cannot read \/nonexistent\/x.wasm/);
  });

  it('builds its command line from the spec', () => {
    const cmd = wasi.commandLine({
      artifact: 'm.wasm',
      args: ['a b'],
      dirs: [{ host: '/h', guest: '/g' }],
      env: { K: 'V=1' },
    });
    const runner = cmd.args.indexOf('--no-warnings');
    assert.equal(runner, 0);
    assert.match(cmd.args[1], /node-wasi-runner\.js$/);
    assert.deepEqual(cmd.args.slice(2), [
      '--dir',
      '/h::/g',
      '--env',
      'K=V=1',
      '--',
      'm.wasm',
      'a b',
    ]);
  });
});

describe('native process runtime', () => {
  it('runs the native twin and keeps exit codes', async () => {
    const native = new NativeProcessRuntime();
    assert.equal(
      (await native.run({ artifact: helloNative })).stdout,
      'Hello from a Wasm container!\n',
    );
    assert.equal((await native.run({ artifact: helloNative, args: ['exit', '3'] })).exitCode, 3);
  });
  it('says when the twin is not executable', () => {
    const plain = path.join(tempDir(), 'plain');
    writeFileSync(plain, 'not a program', { mode: 0o644 });
    assert.throws(
      () => new NativeProcessRuntime().commandLine({ artifact: plain }),
      /not an executable file/,
    );
  });
});
