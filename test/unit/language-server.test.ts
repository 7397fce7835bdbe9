import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { copyFileSync } from 'node:fs';
import { after, before, describe, it, mock } from 'node:test';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  DidOpenTextDocumentNotification,
  PublishDiagnosticsNotification,
  HoverRequest,
  CodeActionRequest,
  CompletionRequest,
  CodeLensRequest,
  DocumentSymbolRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { DockerfileParser } from 'dockerfile-ast';
import { startServer, type ServerOptions } from '../../src/server/server';
import { checkDockerfileText } from '../../src/server/dockerfile-checks';
import { helloDir, helloWasm, tempDir } from './helpers';

const dockerfileUri = pathToFileURL(path.join(helloDir, 'Dockerfile.test')).href;

/** The server in-process over connected streams, and a client that opens documents and waits for their diagnostics. */
async function connectServer(options: ServerOptions = {}) {
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in order: what the tests count. */
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<() => void> = [];
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(
    createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)),
    options,
  );
  const client = createProtocolConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.set(p.uri, p);
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  client.listen();
  const init = await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: {},
  });
  let version = 0;
  const open = async (uri: string, languageId: string, text: string) => {
    const published = new Promise<void>((r) => waiters.push(r));
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: ++version, text },
    });
    await published;
    return diagnostics.get(uri)!;
  };
  /** Resolves with the next publication for `uri`. */
  const next = (uri: string) =>
    new Promise<PublishDiagnosticsParams>((resolve) => {
      const wait = () => {
        const p = diagnostics.get(uri);
        if (p && published.at(-1) === p) resolve(p);
        else waiters.push(wait);
      };
      waiters.push(wait);
    });
  return { client, init, open, next, published };
}

describe('Dockerfile language server (in-process, over connected streams)', () => {
  let client: ProtocolConnection;
  let openDoc: (uri: string, languageId: string, text: string) => Promise<PublishDiagnosticsParams>;

  before(async () => {
    const server = await connectServer();
    client = server.client;
    openDoc = server.open;
    assert.equal(server.init.capabilities.hoverProvider, true);
  });
  after(() => client.dispose());

  const open = (text: string) => openDoc(dockerfileUri, 'dockerfile', text);

  it('reports wasm32 in a platform and offers the fix', async () => {
    const published = await open(
      'FROM --platform=wasi/wasm32 scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n',
    );
    assert.equal(published.diagnostics.length, 1);
    const [d] = published.diagnostics;
    assert.equal(d.code, 'platform-wasm32');
    assert.deepEqual(d.range, {
      start: { line: 0, character: 21 },
      end: { line: 0, character: 27 },
    });
    assert.match(d.message, /architecture of Wasm images is 'wasm'.*wasi\/wasm\)/);
    const actions = await client.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: dockerfileUri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    assert.equal(actions?.length, 1);
    const action = actions[0] as { edit: { changes: Record<string, Array<{ newText: string }>> } };
    assert.equal(action.edit.changes[dockerfileUri][0].newText, 'wasm');
  });

  it('completes platforms and runtime names, and puts Build / Run / Profile lenses above a Wasm stage', async () => {
    await open(
      'FROM --platform= scratch\nCOPY hello.wasm /hello.wasm\nLABEL runtime=\nENTRYPOINT ["/hello.wasm"]\n',
    );
    const platforms = await client.sendRequest(CompletionRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 0, character: 16 },
    });
    assert.deepEqual(
      (platforms as Array<{ label: string }>).map((c) => c.label),
      ['wasi/wasm', 'wasip1/wasm', 'wasip2/wasm', 'linux/amd64', 'linux/arm64'],
    );
    const runtimes = await client.sendRequest(CompletionRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 2, character: 14 },
    });
    assert.ok(
      (runtimes as Array<{ label: string }>).some((c) => c.label === 'io.containerd.wasmtime.v1'),
    );
    const keywords = await client.sendRequest(CompletionRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 1, character: 2 },
    });
    assert.ok((keywords as Array<{ label: string }>).some((c) => c.label === 'ENTRYPOINT'));
    const lenses = await client.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: dockerfileUri },
    });
    assert.deepEqual(
      lenses!.map((l) => [l.command!.title, l.command!.command, l.command!.arguments]),
      [
        ['$(package) Build', 'wasmContainers.image.buildWasm', [dockerfileUri]],
        ['$(play) Run', 'wasmContainers.module.run', [dockerfileUri]],
        ['$(graph) Profile against native', 'wasmContainers.profile.run', [dockerfileUri]],
        [
          '$(graph) Profile across Wasm runtimes',
          'wasmContainers.profile.runAcrossRuntimes',
          [dockerfileUri],
        ],
      ],
    );
    await open('FROM debian\nRUN make\n');
    assert.deepEqual(
      await client.sendRequest(CodeLensRequest.type, { textDocument: { uri: dockerfileUri } }),
      [],
      'no lenses on a native Dockerfile',
    );
  });

  // how long each request takes is bench/lsp.ts's to print; here: the work is bounded, counted
  it('answers every request on a 2 000-line Dockerfile, parsing it at most once per request', async () => {
    const text = `FROM --platform=wasi/wasm scratch\n${'ENV K=V\nLABEL a=b\n'.repeat(999)}COPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`;
    assert.equal(text.split('\n').length, 2002);
    const parses = mock.method(DockerfileParser, 'parse');
    try {
      const published = await open(text);
      assert.deepEqual(published.diagnostics, []);
      // the analysis reads the instructions, and the final stage for the build context
      assert.ok(
        parses.mock.callCount() <= 2,
        `diagnostics parsed it ${parses.mock.callCount()} times`,
      );
      const counted = async (what: string, request: () => Promise<unknown>) => {
        const before = parses.mock.callCount();
        await request();
        const n = parses.mock.callCount() - before;
        assert.ok(n <= 1, `${what} parsed the document ${n} times`);
      };
      await requests(counted);
    } finally {
      parses.mock.restore();
    }
  });

  /** Hover, completion, code lens and code action on the 2 000-line document. */
  const requests = async (
    each: (what: string, request: () => Promise<unknown>) => Promise<void>,
  ) => {
    await each('hover', () =>
      client.sendRequest(HoverRequest.type, {
        textDocument: { uri: dockerfileUri },
        position: { line: 1999, character: 8 },
      }),
    );
    await each('completion', () =>
      client.sendRequest(CompletionRequest.type, {
        textDocument: { uri: dockerfileUri },
        position: { line: 1000, character: 0 },
      }),
    );
    await each('code lens', () =>
      client.sendRequest(CodeLensRequest.type, { textDocument: { uri: dockerfileUri } }),
    );
    await each('code action', () =>
      client.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: dockerfileUri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        context: { diagnostics: [] },
      }),
    );
  };

  it('hovers a module named by COPY with its kind and size', async () => {
    await open('FROM scratch\nCOPY hello.wasm /hello.wasm\nCOPY missing.wasm /m.wasm\n');
    const hover = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 1, character: 8 },
    });
    assert.match(
      (hover!.contents as MarkupContent).value,
      /\*\*hello\.wasm\*\*: WebAssembly core module, [\d.]+ KiB/,
    );
    const missing = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 2, character: 8 },
    });
    assert.match((missing!.contents as MarkupContent).value, /not found next to the Dockerfile/);
    const none = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 0, character: 8 },
    });
    assert.equal(none, null);
    const keyword = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: dockerfileUri },
      position: { line: 0, character: 2 },
    });
    assert.match(
      (keyword!.contents as MarkupContent).value,
      /^\*\*FROM\*\*: Starts a stage\. A Wasm image is `FROM scratch` with `--platform=wasi\/wasm`/,
    );
  });
});

describe('the language server follows edits and the build context', () => {
  it('a burst of edits is analysed once, after the last one', async () => {
    // the debounce timer is the test's clock: nothing here depends on how fast the machine is
    mock.timers.enable({ apis: ['setTimeout'] });
    const server = await connectServer({ debounceMs: 200 });
    try {
      const uri = pathToFileURL(path.join(tempDir(), 'Dockerfile')).href;
      const first = await server.open(uri, 'dockerfile', 'FROM scratch\n');
      assert.equal(first.version, 1, 'an opened document is analysed at once');
      const before = server.published.length;
      for (let version = 2; version <= 21; version++)
        await server.client.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version },
          contentChanges: [{ text: `FROM --platform=wasi/wasm32 scratch\n# edit ${version}\n` }],
        });
      // a request answered after the edits: the server has read every one of them
      await server.client.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 0, character: 0 },
      });
      assert.equal(server.published.length, before, 'nothing analysed while typing');
      const last = server.next(uri);
      mock.timers.tick(200);
      const published = await last;
      assert.equal(server.published.length, before + 1, 'twenty edits, one analysis');
      assert.equal(published.version, 21);
      assert.equal(published.diagnostics[0]?.code, 'platform-wasm32');
    } finally {
      mock.timers.reset();
      server.client.dispose();
    }
  });

  it('a file added to the build context clears the diagnostic that named it missing', async () => {
    const server = await connectServer({ debounceMs: 0 });
    try {
      const dir = tempDir();
      const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
      const text =
        'FROM --platform=wasi/wasm scratch\nCOPY app.wasm /app.wasm\nENTRYPOINT ["/app.wasm"]\n';
      const missing = await server.open(uri, 'dockerfile', text);
      assert.ok(missing.diagnostics.some((d) => d.code === 'missing-source'));
      copyFileSync(helloWasm, path.join(dir, 'app.wasm'));
      const again = server.next(uri);
      await server.client.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [
          {
            uri: pathToFileURL(path.join(tempDir(), 'elsewhere.wasm')).href,
            type: FileChangeType.Created,
          },
          { uri: pathToFileURL(path.join(dir, 'app.wasm')).href, type: FileChangeType.Created },
        ],
      });
      assert.deepEqual((await again).diagnostics, []);
    } finally {
      server.client.dispose();
    }
  });
});

describe('checkDockerfileText', () => {
  it('finds wasm32 in --platform flags and platform keys, not in comments', () => {
    const findings = checkDockerfileText(
      '# FROM --platform=wasi/wasm32 scratch\nFROM --platform=wasip1/wasm32 scratch AS w\nFROM --platform=wasi/wasm scratch\n',
    );
    assert.deepEqual(
      findings.map((f) => [f.line, f.start, f.fix?.edits[0].newText]),
      [[1, 23, 'wasm']],
    );
  });
  it('survives a 10 000-line file: one finding per bad line, nothing else', () => {
    const text = Array.from({ length: 10_000 }, (_, i) =>
      i % 2 ? 'RUN echo "unterminated' : 'FROM --platform=wasi/wasm32 scratch',
    ).join('\n');
    const findings = checkDockerfileText(text);
    assert.equal(findings.length, 5000);
    assert.ok(findings.every((f, i) => f.line === 2 * i));
  });
});

describe('WAT in the language server', () => {
  let client: ProtocolConnection;
  let openDoc: (uri: string, languageId: string, text: string) => Promise<PublishDiagnosticsParams>;
  const watUri = pathToFileURL(path.join(helloDir, 'test.wat')).href;

  before(async () => {
    const server = await connectServer();
    client = server.client;
    openDoc = server.open;
  });
  after(() => client.dispose());

  const open = (text: string) => openDoc(watUri, 'wat', text);
  const MODULE = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $counter (mut i32) (i32.const 0))
  ;; a comment with (parens) and "quotes"
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func $main (export "_start")
    i32.const 1
    global.set $counter))
`;

  it('a valid module has no diagnostics, and its fields are document symbols', async () => {
    assert.deepEqual((await open(MODULE)).diagnostics, []);
    const symbols = (await client.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: watUri },
    })) as Array<{ name: string; detail: string; range: { start: { line: number } } }>;
    assert.deepEqual(
      symbols.map((s) => [s.detail, s.name, s.range.start.line]),
      [
        ['import', 'wasi_snapshot_preview1.fd_write', 1],
        ['memory', 'memory', 2],
        ['global', '$counter', 3],
        ['func', '$add', 5],
        ['func', '$main', 9],
      ],
    );
  });

  it('parse and validation errors from wabt land on their line and column', async () => {
    const syntax = await open(
      '(module\n  (func $f (result i32)\n    i32.const 1\n    i32.bogus))\n',
    );
    assert.equal(syntax.diagnostics.length, 1);
    assert.deepEqual(syntax.diagnostics[0].range.start, { line: 3, character: 4 });
    assert.match(syntax.diagnostics[0].message, /unexpected token "?i32\.bogus"?/);
    const types = await open('(module\n  (func $f (result i32)\n    i64.const 1))\n');
    assert.equal(types.diagnostics.length, 1);
    assert.match(types.diagnostics[0].message, /type mismatch/);
    assert.equal(types.diagnostics[0].range.start.line, 2);
  });

  it('hovers an instruction with its stack effect', async () => {
    await open(MODULE);
    const hover = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: watUri },
      position: { line: 8, character: 6 },
    });
    assert.equal(
      (hover!.contents as MarkupContent).value,
      '**i32.add**\n\nstack: `[i32 i32] → [i32]`',
    );
    const get = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: watUri },
      position: { line: 6, character: 6 },
    });
    assert.match((get!.contents as MarkupContent).value, /local\.get.*\[\] → \[t\]/s);
    assert.equal(
      await client.sendRequest(HoverRequest.type, {
        textDocument: { uri: watUri },
        position: { line: 5, character: 3 },
      }),
      null,
      'not an instruction',
    );
  });
});
