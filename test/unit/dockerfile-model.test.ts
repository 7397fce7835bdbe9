import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveEntrypoint } from '../../src/core/dockerfile/entrypoint';
import { expandVariables, readDockerfile } from '../../src/core/dockerfile/model';
import { specFromDockerfile } from '../../src/core/oci/from-sources';
import { analyzeDockerfile } from '../../src/server/dockerfile-analysis';
import { helloNative, helloWasm, tempDir } from './helpers';

/**
 * One Dockerfile model, three readers: the builder (the image spec), the runner (what `run`
 * executes) and the language server (diagnostics). For each Dockerfile they must agree: the same
 * program at the same path, or the same problem.
 */
const P = 'FROM --platform=wasi/wasm scratch\n';
const TABLE: Array<{ name: string; text: string; program?: string; error?: RegExp }> = [
  {
    name: 'WORKDIR /app + COPY hello.wasm /app/hello.wasm + a relative ENTRYPOINT',
    text: `${P}WORKDIR /app\nCOPY hello.wasm /app/hello.wasm\nENTRYPOINT ["hello.wasm"]\n`,
    program: '/app/hello.wasm',
  },
  {
    name: 'COPY *.wasm /',
    text: `${P}COPY *.wasm /\nENTRYPOINT ["/hello.wasm"]\n`,
    program: '/hello.wasm',
  },
  {
    name: 'COPY into the working directory (./) and ./hello.wasm',
    text: `${P}WORKDIR /app\nCOPY hello.wasm ./\nENTRYPOINT ["./hello.wasm"]\n`,
    program: '/app/hello.wasm',
  },
  {
    name: 'relative WORKDIRs and COPY to .',
    text: `${P}WORKDIR app\nWORKDIR bin\nCOPY hello.wasm .\nENTRYPOINT ["/app/bin/hello.wasm"]\n`,
    program: '/app/bin/hello.wasm',
  },
  {
    name: 'ARG with a default in the source',
    text: `${P}ARG NAME=hello\nCOPY \${NAME}.wasm /m.wasm\nENTRYPOINT ["/m.wasm"]\n`,
    program: '/m.wasm',
  },
  {
    name: 'a global ARG declared again in the stage',
    text: `ARG V=hello\n${P}ARG V\nCOPY $V.wasm /v.wasm\nENTRYPOINT ["/v.wasm"]\n`,
    program: '/v.wasm',
  },
  {
    name: 'ENV in the destination',
    text: `${P}ENV DIR=/srv\nCOPY hello.wasm $DIR/\nENTRYPOINT ["/srv/hello.wasm"]\n`,
    program: '/srv/hello.wasm',
  },
  {
    name: 'several sources into a directory',
    text: `${P}COPY hello.wasm hello /bin/\nENTRYPOINT ["/bin/hello.wasm"]\n`,
    program: '/bin/hello.wasm',
  },
  {
    name: 'the final stage only',
    text: `FROM scratch AS other\nCOPY hello /x\nENTRYPOINT ["/x"]\n${P}COPY hello.wasm /hello.wasm\nCMD ["/hello.wasm", "exit", "3"]\n`,
    program: '/hello.wasm',
  },
  {
    name: 'an ENTRYPOINT nothing was copied to',
    text: `${P}COPY hello.wasm /hello.wasm\nENTRYPOINT ["/nothing.wasm"]\n`,
    error:
      /ENTRYPOINT runs \/nothing\.wasm, but no COPY or ADD of this stage puts a file there \(copied: \/hello\.wasm\)/,
  },
  {
    name: 'a relative ENTRYPOINT without that WORKDIR',
    text: `${P}WORKDIR /app\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["hello.wasm"]\n`,
    error: /ENTRYPOINT runs hello\.wasm \(\/app\/hello\.wasm\), but no COPY or ADD/,
  },
  {
    name: 'a missing source',
    text: `${P}COPY missing.wasm /m.wasm\nENTRYPOINT ["/m.wasm"]\n`,
    error: /COPY source missing\.wasm does not exist in the build context/,
  },
  {
    name: 'a wildcard that matches nothing',
    text: `${P}COPY *.nomatch /\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`,
    error: /COPY source nothing in the build context matches \*\.nomatch/,
  },
];

function contextWith(text: string): string {
  const dir = tempDir('wc-model-');
  copyFileSync(helloWasm, path.join(dir, 'hello.wasm'));
  copyFileSync(helloNative, path.join(dir, 'hello'));
  const file = path.join(dir, 'Dockerfile');
  writeFileSync(file, text);
  return file;
}

describe('one Dockerfile model: the builder, the runner and the language server agree', () => {
  for (const c of TABLE) {
    it(c.name, () => {
      const file = contextWith(c.text);
      const errors = analyzeDockerfile(c.text, file).filter((f) => f.severity === 'error');
      if (c.program) {
        const run = resolveEntrypoint(file);
        assert.equal(run.guestPath, c.program, 'the runner');
        assert.equal(run.kind, 'wasm');
        const spec = specFromDockerfile(file);
        assert.ok(
          spec.files.some((f) => f.guest === c.program),
          `the builder: ${spec.files.map((f) => f.guest).join()}`,
        );
        assert.deepEqual(spec.platform, { os: 'wasi', architecture: 'wasm' });
        assert.deepEqual(errors, [], 'the language server');
      } else {
        const error = c.error!;
        assert.throws(() => resolveEntrypoint(file), error, 'the runner');
        assert.throws(() => specFromDockerfile(file), error, 'the builder');
        assert.ok(
          errors.some((f) => error.test(f.message)),
          `the language server: ${errors.map((f) => f.message).join(' | ')}`,
        );
      }
    });
  }

  it('strict for building, lenient for diagnostics: a problem in an earlier stage stops only the latter from being silent', () => {
    const text = `FROM scratch AS build\nCOPY missing.txt /x\n${P}COPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`;
    const file = contextWith(text);
    assert.equal(resolveEntrypoint(file).guestPath, '/hello.wasm');
    const lenient = readDockerfile(text, { mode: 'lenient', file });
    assert.deepEqual(
      lenient.problems.map((p) => [p.kind, p.stage]),
      [['source', 0]],
    );
    assert.match(analyzeDockerfile(text, file)[0]?.message ?? '', /missing\.txt does not exist/);
  });

  it('ENTRYPOINT and CMD are not expanded (Docker expands variables in COPY, ENV, WORKDIR … only)', () => {
    const m = readDockerfile(`${P}ENV X=1\nENTRYPOINT ["/m.wasm", "$X"]\n`, { mode: 'lenient' });
    assert.deepEqual(m.final!.entrypoint!.args, ['/m.wasm', '$X']);
  });

  it('expands ${X:-default}, ${X:+alt}, $X and an escaped \\$', () => {
    const vars = (n: string) => ({ SET: 'v', EMPTY: '' })[n];
    assert.equal(
      expandVariables('${SET:-d} ${NONE:-d} ${EMPTY:-d} ${SET:+a} ${NONE:+a} $SET \\$SET', vars),
      'v d d a  v $SET',
    );
  });
});
