// How long the Dockerfile language server takes per request on a 2 000-line Dockerfile, and the
// analysis of 10 000-line files: the timings the tests leave out (they count the work instead).
//   node --import tsx bench/lsp.ts [repetitions=50]
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { analyzeDockerfile } from '../src/server/dockerfile-analysis';
import { checkDockerfileText } from '../src/server/dockerfile-checks';
import { startServer } from '../src/server/server';

const repetitions = Number(process.argv[2] ?? 50);
const helloDir = path.resolve(__dirname, '..', 'examples', 'hello');
const uri = pathToFileURL(path.join(helloDir, 'Dockerfile.bench')).href;
const lines2000 = `FROM --platform=wasi/wasm scratch\n${'ENV K=V\nLABEL a=b\n'.repeat(999)}COPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${at(1).toFixed(2)} ms (n=${s.length})`;
}

async function time(what: string, n: number, fn: () => unknown) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  console.log(`${what.padEnd(42)} ${stats(ms)}`);
}

async function main(): Promise<void> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(
    createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)),
    {
      debounceMs: 0,
    },
  );
  const client = createProtocolConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  let published: (() => void) | undefined;
  client.onNotification(PublishDiagnosticsNotification.type, () => published?.());
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: {},
  });

  let version = 0;
  await time('open + diagnostics (2 000 lines)', repetitions, async () => {
    const done = new Promise<void>((r) => (published = r));
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'dockerfile', version: ++version, text: lines2000 },
    });
    await done;
  });
  const textDocument = { uri };
  await time('hover', repetitions, () =>
    client.sendRequest(HoverRequest.type, { textDocument, position: { line: 1999, character: 8 } }),
  );
  await time('completion', repetitions, () =>
    client.sendRequest(CompletionRequest.type, {
      textDocument,
      position: { line: 1000, character: 0 },
    }),
  );
  await time('code lens', repetitions, () =>
    client.sendRequest(CodeLensRequest.type, { textDocument }),
  );
  await time('code action', repetitions, () =>
    client.sendRequest(CodeActionRequest.type, {
      textDocument,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      context: { diagnostics: [] },
    }),
  );
  client.dispose();

  const lines10000 = `FROM --platform=wasi/wasm scratch\n${'LABEL a=b\nENV K=V\n'.repeat(5000)}COPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`;
  await time('analyzeDockerfile (10 000 lines)', Math.max(3, repetitions / 10), () =>
    analyzeDockerfile(lines10000, path.join(helloDir, 'Dockerfile')),
  );
  const bad10000 = Array.from({ length: 10_000 }, (_, i) =>
    i % 2 ? 'RUN echo "unterminated' : 'FROM --platform=wasi/wasm32 scratch',
  ).join('\n');
  await time('checkDockerfileText (10 000 bad lines)', Math.max(3, repetitions / 10), () =>
    checkDockerfileText(bad10000),
  );
}

void main();
