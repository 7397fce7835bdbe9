import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  DockerfileError,
  isDockerfileName,
  resolveEntrypoint,
} from '../../src/core/dockerfile/entrypoint';
import { helloDir, helloNative, helloWasm, tempDir } from './helpers';

function context(dockerfile: string): string {
  const dir = tempDir('wc-df-');
  copyFileSync(helloWasm, path.join(dir, 'hello.wasm'));
  copyFileSync(helloNative, path.join(dir, 'hello'));
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return path.join(dir, 'Dockerfile');
}

describe('resolveEntrypoint (what a FROM scratch image would run)', () => {
  it('finds the example module and its native twin', () => {
    const wasm = resolveEntrypoint(path.join(helloDir, 'Dockerfile'));
    assert.deepEqual(
      { kind: wasm.kind, artifact: wasm.artifact, guestPath: wasm.guestPath, args: wasm.args },
      { kind: 'wasm', artifact: helloWasm, guestPath: '/hello.wasm', args: [] },
    );
    const native = resolveEntrypoint(path.join(helloDir, 'Dockerfile.native'));
    assert.equal(native.kind, 'native');
    assert.equal(native.artifact, helloNative);
  });

  it('combines ENTRYPOINT and CMD, keeps ENV, WORKDIR and the platform, and follows COPY into directories', () => {
    const e = resolveEntrypoint(
      context(
        [
          'FROM --platform=wasi/wasm scratch',
          'ENV GREETING="hi there" MODE=fast',
          'WORKDIR /app',
          'COPY hello.wasm ./',
          'ENTRYPOINT ["/app/hello.wasm", "sleep"]',
          'CMD ["0.1"]',
        ].join('\n'),
      ),
    );
    assert.deepEqual(
      {
        kind: e.kind,
        guestPath: e.guestPath,
        args: e.args,
        env: e.env,
        workdir: e.workdir,
        platform: e.platform,
        line: e.line,
      },
      {
        kind: 'wasm',
        guestPath: '/app/hello.wasm',
        args: ['sleep', '0.1'],
        env: { GREETING: 'hi there', MODE: 'fast' },
        workdir: '/app',
        platform: 'wasi/wasm',
        line: 4,
      },
    );
  });

  it('uses the last stage only, and CMD alone when there is no ENTRYPOINT', () => {
    const e = resolveEntrypoint(
      context(
        'FROM scratch AS first\nCOPY hello /x\nENTRYPOINT ["/x"]\nFROM scratch\nCOPY hello.wasm /m.wasm\nCMD ["/m.wasm", "exit", "3"]\n',
      ),
    );
    assert.equal(e.guestPath, '/m.wasm');
    assert.deepEqual(e.args, ['exit', '3']);
  });

  it('gives the line and the way out for what cannot run', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'FROM alpine\nCOPY hello.wasm /h.wasm\nENTRYPOINT ["/h.wasm"]\n',
        /Dockerfile:1: the final stage builds FROM alpine: only FROM scratch images/,
      ],
      [
        'FROM scratch\nCOPY hello.wasm /h.wasm\nENTRYPOINT /h.wasm\n',
        /Dockerfile:3: ENTRYPOINT uses the shell form .* has no \/bin\/sh\. Use the exec form/,
      ],
      [
        'FROM scratch\nCOPY hello.wasm /h.wasm\nRUN echo hi\n',
        /Dockerfile:3: RUN in a FROM scratch stage cannot work/,
      ],
      ['FROM scratch\nCOPY hello.wasm /h.wasm\n', /no ENTRYPOINT or CMD/],
      [
        'FROM scratch\nCOPY hello.wasm /h.wasm\nENTRYPOINT ["/other.wasm"]\n',
        /Dockerfile:3: ENTRYPOINT runs \/other\.wasm, but no COPY or ADD of this stage puts a file there \(copied: \/h\.wasm\)/,
      ],
      [
        'FROM scratch\nCOPY missing.wasm /h.wasm\nENTRYPOINT ["/h.wasm"]\n',
        /Dockerfile:2: COPY source missing\.wasm does not exist in the build context/,
      ],
      [
        'FROM scratch\nCOPY ../../etc/passwd /h.wasm\nENTRYPOINT ["/h.wasm"]\n',
        /Dockerfile:2: COPY source \.\.\/\.\.\/etc\/passwd (leaves the build context|does not exist)/,
      ],
      [
        'FROM scratch\nCOPY /etc/passwd /h.wasm\nENTRYPOINT ["/h.wasm"]\n',
        /Dockerfile:2: COPY source \/etc\/passwd is absolute/,
      ],
      ['', /there is no FROM instruction/],
    ];
    for (const [text, pattern] of cases)
      assert.throws(
        () => resolveEntrypoint(context(text)),
        (e: unknown) => e instanceof DockerfileError && pattern.test(e.message),
        text,
      );
  });

  it('refuses a symlink that points out of the build context', () => {
    const file = context('FROM scratch\nCOPY link.wasm /h.wasm\nENTRYPOINT ["/h.wasm"]\n');
    const outside = tempDir('wc-outside-');
    mkdirSync(path.join(outside, 'd'));
    copyFileSync(helloWasm, path.join(outside, 'd', 'secret.wasm'));
    symlinkSync(path.join(outside, 'd', 'secret.wasm'), path.join(path.dirname(file), 'link.wasm'));
    assert.throws(() => resolveEntrypoint(file), /COPY source link\.wasm leaves the build context/);
  });

  it('recognises Dockerfile names', () => {
    for (const n of ['Dockerfile', 'Dockerfile.native', 'app.dockerfile', 'Containerfile'])
      assert.ok(isDockerfileName(`/x/${n}`), n);
    for (const n of ['Dockerfile-notes.md', 'hello.wasm', 'README.md'])
      assert.ok(!isDockerfileName(`/x/${n}`), n);
  });
});

describe('profile targets from a wasm Dockerfile', () => {
  it('the module with its entrypoint arguments vs the native counterpart of Dockerfile.native', async () => {
    const { dockerfileTargets } = await import('../../src/core/profile/dockerfile-targets');
    const { detectRuntimes } = await import('../../src/core/runtimes/runtime-catalog');
    const catalog = await detectRuntimes({ skipEngines: true });
    const found = await dockerfileTargets(path.join(helloDir, 'Dockerfile'), { catalog });
    assert.deepEqual(
      found.targets.map((t) => [t.id, t.runtime.id, t.spec.artifact]),
      [
        ['wasm-node-wasi', 'node-wasi', helloWasm],
        ['native-process', 'process', helloNative],
      ],
    );
    assert.match(
      found.notes.join(' '),
      /No Docker engine with runc answers .* the native image is left out/,
    );
    await assert.rejects(
      dockerfileTargets(path.join(helloDir, 'Dockerfile.native'), { catalog }),
      /runs \/hello, a native executable: profile the Wasm Dockerfile instead/,
    );
  });
});

describe('exec-form strings keep their spaces', () => {
  it('COPY and ENTRYPOINT in JSON form, with flags before the array', async () => {
    const { jsonForm } = await import('../../src/core/dockerfile/json-form');
    const { DockerfileParser } = await import('dockerfile-ast');
    const [copy, entry, flagged] = DockerfileParser.parse(
      'COPY ["a b.wasm", "/x y/"]\nENTRYPOINT ["/app dir/m.wasm", "two words"]\nCOPY --chmod=755 ["c d", "/e"]\n',
    ).getInstructions();
    assert.deepEqual(jsonForm(copy), ['a b.wasm', '/x y/']);
    assert.deepEqual(jsonForm(entry), ['/app dir/m.wasm', 'two words']);
    assert.deepEqual(jsonForm(flagged), ['c d', '/e']);
  });
});
