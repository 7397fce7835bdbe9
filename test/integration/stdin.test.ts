import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { TerminalInput } from '../../src/core/process/terminal-input';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { NodeWasiRuntime } from '../../src/core/runtimes/node-wasi';
import { repoRoot } from '../unit/helpers';
import { watFixture } from '../unit/wasm-fixtures';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const node = process.execPath;

describe('stdin reaches the program', () => {
  it('runProcess: without input the child reads /dev/null (EOF at once)', async () => {
    const r = await runProcess(node, [
      '-e',
      'process.stdin.on("end", () => console.log("eof")).resume()',
    ]);
    assert.equal(r.stdout, 'eof\n');
  });

  it("runProcess: a stream is piped in, and its end is the child's EOF", async () => {
    const input = new PassThrough();
    const done = runProcess(node, ['-e', 'process.stdin.pipe(process.stdout)'], { stdin: input });
    input.write('one\n');
    input.end('two\n');
    assert.equal((await done).stdout, 'one\ntwo\n');
  });

  it("runProcess: inherit hands over this process's own stdin (the CLI's pipe)", async () => {
    // a parent whose stdin is a pipe from the test starts a child with stdio[0] inherited
    const parent = `require('child_process').spawn(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { stdio: 'inherit' })`;
    const r = await runProcess(node, ['-e', parent], { input: 'through\n' });
    assert.equal(r.stdout, 'through\n');
  });

  it('Node WASI: cat.wasm copies a live stream byte for byte (1 MiB of random bytes)', async () => {
    const cat = await watFixture('cat');
    const data = randomBytes(1 << 20);
    const input = new PassThrough();
    const chunks: Buffer[] = [];
    const run = new NodeWasiRuntime().run(
      { artifact: cat },
      { stdin: input, onStdout: (c) => chunks.push(c) },
    );
    for (let i = 0; i < data.length; i += 65536) input.write(data.subarray(i, i + 65536));
    input.end();
    const outcome = await run;
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.ok(Buffer.concat(chunks).equals(data), 'the output is the input');
  });

  it('Node WASI: without stdin, cat.wasm reads EOF and exits 0', async () => {
    const outcome = await new NodeWasiRuntime().run({ artifact: await watFixture('cat') });
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.stdout, '');
  });

  it('Node WASI runs a wasi_unstable module (Node\'s version: "unstable")', async () => {
    const outcome = await new NodeWasiRuntime().run({
      artifact: await watFixture('cat-unstable'),
      stdin: 'snapshot 0\n',
    });
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.stdout, 'snapshot 0\n');
  });

  it('the native process runtime passes a live stream too', async () => {
    const input = new PassThrough();
    const run = new NativeProcessRuntime().run({ artifact: '/bin/cat' }, { stdin: input });
    input.end('native\n');
    assert.equal((await run).stdout, 'native\n');
  });

  it('CLI: echo hi | wasm-containers run cat.wasm prints hi (Node WASI)', async () => {
    const r = await runProcess(node, [cli, 'run', await watFixture('cat')], { input: 'hi\n' });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
  });

  it('CLI: a wasi_unstable module runs and exits with its code', async () => {
    const r = await runProcess(node, [cli, 'run', await watFixture('cat-unstable')], {
      input: 'old abi\n',
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'old abi\n');
  });
});

describe("TerminalInput (the editor terminal's line discipline)", () => {
  const collect = (input: TerminalInput) => {
    let text = '';
    input.stream.on('data', (c: Buffer) => (text += c.toString()));
    return () => text;
  };

  it('sends a line on Enter, echoes what is typed, edits with Backspace and Ctrl-U', async () => {
    let echo = '';
    const input = new TerminalInput((t) => (echo += t));
    const read = collect(input);
    input.write('hx\x7fi\r');
    input.write('gone\x15kept\r');
    input.write('\x1b[A'); // an arrow key: ignored
    input.end();
    await new Promise((r) => input.stream.on('end', r));
    assert.equal(read(), 'hi\nkept\n');
    assert.equal(echo, 'hx\b \bi\r\ngone' + '\b \b'.repeat(4) + 'kept\r\n');
  });

  it('Ctrl-D sends a partial line, and on an empty line ends the input (EOF)', async () => {
    const input = new TerminalInput(() => undefined);
    const read = collect(input);
    input.write('partial\x04');
    input.write('\x04');
    await new Promise((r) => input.stream.on('end', r));
    assert.equal(read(), 'partial');
    input.write('after the end\r'); // dropped: the program has read EOF
    assert.equal(read(), 'partial');
  });

  it('Ctrl-C interrupts the run', () => {
    let interrupted = 0;
    const input = new TerminalInput(
      () => undefined,
      () => interrupted++,
    );
    input.write('abc\x03');
    assert.equal(interrupted, 1);
  });

  it('pasted text with several lines sends each line', async () => {
    const input = new TerminalInput(() => undefined);
    const read = collect(input);
    input.write('a\rb\rc');
    input.write('\x04\x04');
    await new Promise((r) => input.stream.on('end', r));
    assert.equal(read(), 'a\nb\nc');
  });

  it('a module under Node WASI reads what is typed, and Ctrl-D ends it', async () => {
    const input = new TerminalInput(() => undefined);
    const run = new NodeWasiRuntime().run(
      { artifact: await watFixture('cat') },
      { stdin: input.stream },
    );
    input.write('typed\r');
    input.write('\x04');
    const outcome = await run;
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.stdout, 'typed\n');
  });
});
