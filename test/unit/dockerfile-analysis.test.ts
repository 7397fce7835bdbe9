import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, mock } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { analyzeDockerfile } from '../../src/server/dockerfile-analysis';
import type { Finding } from '../../src/server/dockerfile-checks';
import { helloDir, helloNative, helloWasm, referenceCodeSection, tempDir } from './helpers';

/** A build context with the example's module and native twin, and a Dockerfile with `text`. */
function context(text: string, extra: Record<string, string | Buffer> = {}): string {
  const dir = tempDir('wc-df-');
  copyFileSync(helloWasm, path.join(dir, 'hello.wasm'));
  copyFileSync(helloNative, path.join(dir, 'hello'));
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const file = path.join(dir, 'Dockerfile');
  writeFileSync(file, text);
  return file;
}

const analyze = (text: string, extra?: Record<string, string | Buffer>) => {
  const file = context(text, extra);
  return analyzeDockerfile(text, file);
};
const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();
const GOOD =
  'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n';

describe('Dockerfile analysis for Wasm images', () => {
  it('a correct Wasm Dockerfile has nothing to say', () => {
    assert.deepEqual(analyze(GOOD), []);
    assert.deepEqual(
      analyze(readFileSync(path.join(helloDir, 'Dockerfile'), 'utf8')),
      [],
      'the example',
    );
  });

  it('RUN, SHELL, USER and HEALTHCHECK in the final Wasm stage are errors with a quick fix that removes them (continuation lines too)', () => {
    const text =
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nRUN echo a \\\n    && echo b\nSHELL ["/bin/sh", "-c"]\nUSER 1000\nHEALTHCHECK CMD ["/hello.wasm"]\nENTRYPOINT ["/hello.wasm"]\n';
    const f = analyze(text);
    assert.deepEqual(codes(f), [
      'unsupported-in-wasm',
      'unsupported-in-wasm',
      'unsupported-in-wasm',
      'unsupported-in-wasm',
    ]);
    const run = f.find((x) => x.message.startsWith('RUN'))!;
    assert.match(
      run.message,
      /no shell or program to run.*this stage builds a Wasm image: --platform=wasi\/wasm/,
    );
    assert.deepEqual(run.fix!.edits, [
      { startLine: 2, startChar: 0, endLine: 4, endChar: 0, newText: '' },
    ]);
    // the same instructions in a build stage are fine
    assert.deepEqual(analyze('FROM debian AS build\nRUN make\nUSER 1000\n' + GOOD), []);
  });

  it('a stage is a Wasm stage by its platform, a .wasm entrypoint, or FROM scratch with a .wasm copied in', () => {
    assert.equal(
      analyze(
        'FROM --platform=wasip2/wasm scratch\nCOPY hello.wasm /a.wasm\nENTRYPOINT ["/a.wasm"]\nRUN x\n',
      ).length,
      1,
    );
    assert.match(
      analyze('FROM scratch\nCOPY hello.wasm /a.wasm\nENTRYPOINT ["/a.wasm"]\nUSER 1\n').find(
        (x) => x.code === 'unsupported-in-wasm',
      )!.message,
      /its ENTRYPOINT runs \/a\.wasm/,
    );
    assert.match(
      analyze('FROM scratch\nCOPY hello.wasm /\nUSER 1\n').find(
        (x) => x.code === 'unsupported-in-wasm',
      )!.message,
      /FROM scratch with a \.wasm copied in/,
    );
    assert.deepEqual(
      analyze('FROM scratch\nCOPY hello /hello\nENTRYPOINT ["/hello"]\nUSER 1\n'),
      [],
      'a native image may have USER',
    );
  });

  it('wasm32 in a platform is an error with the fix', () => {
    const f = analyze(
      'FROM --platform=wasi/wasm32 scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n',
    );
    assert.deepEqual(codes(f), ['platform-wasm32']);
    assert.equal(f[0].fix!.edits[0].newText, 'wasm');
  });

  it('a Wasm stage without --platform gets a warning and the fix that adds it', () => {
    const f = analyze('FROM scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n');
    assert.deepEqual(codes(f), ['missing-platform']);
    assert.match(
      f[0].message,
      /would label it for its own platform \(linux\/amd64\).*Add --platform=wasi\/wasm/,
    );
    assert.deepEqual(f[0].fix!.edits, [
      { startLine: 0, startChar: 5, endLine: 0, endChar: 5, newText: '--platform=wasi/wasm ' },
    ]);
  });

  it('COPY sources missing from the context, absolute, or leaving it (.. or a symlink) are errors at the source', () => {
    const dir = tempDir('wc-outside-');
    writeFileSync(path.join(dir, 'secret'), 'x');
    const file = context(
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm missing.wasm /app/\nCOPY ../x /x\nCOPY /etc/passwd /p\nCOPY link /l\nCOPY *.txt /t/\nCOPY *.wasm /w/\nCOPY --from=build /out /o\nENTRYPOINT ["/app/hello.wasm"]\n',
    );
    symlinkSync(path.join(dir, 'secret'), path.join(path.dirname(file), 'link'));
    const f = analyzeDockerfile(readFileSync(file, 'utf8'), file).filter(
      (x) => x.code === 'missing-source',
    );
    assert.deepEqual(
      f.map((x) => [x.line, x.start]),
      [
        [1, 16],
        [2, 5],
        [3, 5],
        [4, 5],
        [5, 5],
      ],
    );
    assert.match(f[0].message, /COPY source missing\.wasm does not exist in the build context/);
    assert.match(f[1].message, /\.\.\/x (does not exist|leaves the build context)/);
    assert.match(f[2].message, /\/etc\/passwd is absolute/);
    assert.match(f[3].message, /link leaves the build context .*docker build refuses it/);
    assert.match(f[4].message, /nothing in the build context matches \*\.txt/);
  });

  it('an ENTRYPOINT nothing was copied to offers one quick fix per module the stage copies', () => {
    const text =
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /app/hello.wasm\nCOPY cat.wasm /cat.wasm\nENTRYPOINT ["/hello-wat.wasm", "x"]\n';
    const f = analyze(text, { 'cat.wasm': readFileSync(helloWasm) }).find(
      (x) => x.code === 'missing-source',
    )!;
    assert.deepEqual(
      f.fixes!.map((x) => x.title),
      ['Run /app/hello.wasm (copied by this stage)', 'Run /cat.wasm (copied by this stage)'],
    );
    // applying the first: the entrypoint runs the copied module, and nothing is left to say
    const [edit] = f.fixes![0].edits;
    const lines = text.split('\n');
    const line = lines[edit.startLine];
    lines[edit.startLine] = line.slice(0, edit.startChar) + edit.newText + line.slice(edit.endChar);
    assert.equal(lines[3], 'ENTRYPOINT ["/app/hello.wasm", "x"]');
    assert.deepEqual(analyze(lines.join('\n'), { 'cat.wasm': readFileSync(helloWasm) }), []);
  });

  it('an ENTRYPOINT nothing was copied to, and a .wasm that is not a module, are errors naming the offset', () => {
    assert.match(
      analyze(
        'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/other.wasm"]\n',
      ).find((x) => x.code === 'missing-source')!.message,
      /ENTRYPOINT runs \/other\.wasm, but no COPY or ADD of this stage puts a file there/,
    );
    const bad = analyze(
      'FROM --platform=wasi/wasm scratch\nCOPY fake.wasm /fake.wasm\nENTRYPOINT ["/fake.wasm"]\n',
      { 'fake.wasm': '#!/bin/sh\necho not wasm\n' },
    );
    assert.deepEqual(codes(bad), ['not-wasm']);
    assert.match(
      bad[0].message,
      /fake\.wasm is not a valid WebAssembly module: not a WebAssembly binary: expected the magic number .* at byte offset 0 \(open it in the Wasm Inspector/,
    );
    const cut = analyze(
      'FROM --platform=wasi/wasm scratch\nCOPY cut.wasm /cut.wasm\nENTRYPOINT ["/cut.wasm"]\n',
      { 'cut.wasm': readFileSync(helloWasm).subarray(0, 3000) },
    );
    assert.match(
      cut[0].message,
      new RegExp(
        `cut\\.wasm is not a valid WebAssembly module: the code section declares ${referenceCodeSection().size} bytes but only \\d+ remain in the file at byte offset ${referenceCodeSection().offset}`,
      ),
    );
  });

  it('EXPOSE in a WASI preview1 image is a warning with a fix', () => {
    const f = analyze(
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nEXPOSE 8080\nENTRYPOINT ["/hello.wasm"]\n',
    );
    assert.deepEqual(codes(f), ['expose-preview1']);
    assert.match(f[0].message, /WASI preview1 module, which has no sockets/);
    assert.equal(f[0].fix!.title, 'Remove EXPOSE');
  });

  it('shell-form and invalid JSON entrypoints are errors (a Wasm image has no shell)', () => {
    const shell = analyze(
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT /hello.wasm exit 3\n',
    );
    const form = shell.find((x) => x.code === 'entrypoint-form')!;
    assert.match(form.message, /shell form \("\/hello\.wasm exit 3"\) needs \/bin\/sh/);
    assert.equal(form.fix!.edits[0].newText, '["/hello.wasm", "exit", "3"]');
    const invalid = analyze(
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm", exit]\n',
    );
    assert.match(
      invalid.find((x) => x.code === 'entrypoint-form')!.message,
      /not a valid JSON array of strings/,
    );
  });

  it('a native counterpart that would make the comparison unfair is a warning saying how', () => {
    const fair = analyze(GOOD, {
      'Dockerfile.native': 'FROM scratch\nCOPY hello /hello\nENTRYPOINT ["/hello"]\n',
    });
    assert.deepEqual(fair, []);
    const unfair = analyze(
      'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENV MODE=fast\nENTRYPOINT ["/hello.wasm", "sleep", "1"]\n',
      {
        'Dockerfile.native':
          'FROM debian:12\nCOPY hello /hello\nENTRYPOINT ["/hello", "exit", "0"]\n',
      },
    );
    assert.deepEqual(codes(unfair), ['unfair-counterpart']);
    assert.match(
      unfair[0].message,
      /unfair: it builds FROM debian:12.*FROM scratch with a static binary.*its program gets \["exit","0"\] but the module gets \["sleep","1"\].*environments differ \(MODE\)/,
    );
  });

  it('malformed Dockerfiles give diagnostics, never a crash', () => {
    const cases = [
      '',
      '\n\n',
      'FROM',
      'COPY',
      'ENTRYPOINT [',
      'FROM scratch\nENTRYPOINT ["unterminated\n',
      'FROM scratch\nCOPY <<EOF /x\nno end of heredoc\n',
      'FROM --platform= scratch\n',
      'FROM scratch\nCOPY\nENTRYPOINT []\n',
      '\\\n\\\n\\',
      'FROM scratch AS\nRUN\n',
      `FROM scratch\n${'COPY hello.wasm /a.wasm \\\n'.repeat(50)}`,
      'FROM ${BASE:-scratch}\nCOPY $MODULE /m.wasm\n',
      'ARG X\nFROM scratch\nCOPY "hello.wasm" /h.wasm\nENTRYPOINT ["/h.wasm"]\n',
      '\u0000\u0001\uffff',
      'FROM scratch\r\nCOPY hello.wasm /h.wasm\r\nENTRYPOINT ["/h.wasm"]\r\n',
    ];
    for (const text of cases) {
      const f = analyze(text);
      for (const x of f) assert.ok(x.line >= 0 && x.message.length > 0, JSON.stringify(x));
    }
    assert.match(
      analyze('FROM scratch\nCOPY\nENTRYPOINT []\n').find((x) => x.code === 'missing-source')!
        .message,
      /COPY needs a source and a destination/,
    );
  });

  // its time is bench/lsp.ts's to print; the test counts the work: the text is parsed once or twice
  it('a 10 000-line Dockerfile is analysed, parsing it at most twice', () => {
    const text = `FROM --platform=wasi/wasm scratch\n${'LABEL a=b\nENV K=V\n'.repeat(5000)}COPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`;
    const parses = mock.method(DockerfileParser, 'parse');
    try {
      assert.deepEqual(analyze(text), []);
      assert.ok(parses.mock.callCount() <= 2, `parsed ${parses.mock.callCount()} times`);
    } finally {
      parses.mock.restore();
    }
  });
});
