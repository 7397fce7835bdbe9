import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, DidOpenTextDocumentNotification,
  PublishDiagnosticsNotification, HoverRequest, CodeActionRequest, type ProtocolConnection, type PublishDiagnosticsParams, type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../../src/server/server';
import { checkDockerfileText } from '../../src/server/dockerfile-checks';
import { helloDir } from './helpers';

const dockerfileUri = pathToFileURL(path.join(helloDir, 'Dockerfile.test')).href;

describe('Dockerfile language server (in-process, over connected streams)', () => {
  let client: ProtocolConnection;
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const waiters: Array<() => void> = [];

  before(async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(PublishDiagnosticsNotification.type, (p) => { diagnostics.set(p.uri, p); waiters.splice(0).forEach((w) => w()); });
    client.listen();
    const init = await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    assert.equal(init.capabilities.hoverProvider, true);
  });
  after(() => client.dispose());

  const open = async (text: string) => {
    const published = new Promise<void>((r) => waiters.push(r));
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: dockerfileUri, languageId: 'dockerfile', version: 1, text } });
    await published;
    return diagnostics.get(dockerfileUri)!;
  };

  it('reports wasm32 in a platform and offers the fix', async () => {
    const published = await open('FROM --platform=wasi/wasm32 scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n');
    assert.equal(published.diagnostics.length, 1);
    const [d] = published.diagnostics;
    assert.equal(d.code, 'platform-wasm32');
    assert.deepEqual(d.range, { start: { line: 0, character: 21 }, end: { line: 0, character: 27 } });
    assert.match(d.message, /architecture of Wasm images is 'wasm'.*wasi\/wasm\)/);
    const actions = await client.sendRequest(CodeActionRequest.type, { textDocument: { uri: dockerfileUri }, range: d.range, context: { diagnostics: [d] } });
    assert.equal(actions?.length, 1);
    const action = actions![0] as { edit: { changes: Record<string, Array<{ newText: string }>> } };
    assert.equal(action.edit.changes[dockerfileUri][0].newText, 'wasm');
  });

  it('hovers a module named by COPY with its kind and size', async () => {
    await open('FROM scratch\nCOPY hello.wasm /hello.wasm\nCOPY missing.wasm /m.wasm\n');
    const hover = await client.sendRequest(HoverRequest.type, { textDocument: { uri: dockerfileUri }, position: { line: 1, character: 8 } });
    assert.match((hover!.contents as MarkupContent).value, /\*\*hello\.wasm\*\*: WebAssembly core module, [\d.]+ KiB/);
    const missing = await client.sendRequest(HoverRequest.type, { textDocument: { uri: dockerfileUri }, position: { line: 2, character: 8 } });
    assert.match((missing!.contents as MarkupContent).value, /not found next to the Dockerfile/);
    const none = await client.sendRequest(HoverRequest.type, { textDocument: { uri: dockerfileUri }, position: { line: 0, character: 2 } });
    assert.equal(none, null);
  });
});

describe('checkDockerfileText', () => {
  it('finds wasm32 in --platform flags and platform keys, not in comments', () => {
    const findings = checkDockerfileText('# FROM --platform=wasi/wasm32 scratch\nFROM --platform=wasip1/wasm32 scratch AS w\nFROM --platform=wasi/wasm scratch\n');
    assert.deepEqual(findings.map((f) => [f.line, f.start, f.replacement]), [[1, 23, 'wasm']]);
  });
  it('survives a 10 000-line file quickly', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 'RUN echo "unterminated' : 'FROM --platform=wasi/wasm32 scratch')).join('\n');
    const t0 = performance.now();
    assert.equal(checkDockerfileText(text).length, 5000);
    assert.ok(performance.now() - t0 < 1000);
  });
});
