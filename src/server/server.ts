import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type Connection, type Diagnostic, type Hover,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatBytes } from '../core/format';
import { readWasmHeader } from '../core/wasm/header';
import { DIAGNOSTIC_SOURCE } from '../shared/lsp-protocol';
import { checkDockerfileText, wasmPathsOnLine, type Finding } from './dockerfile-checks';

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information };

function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: { start: { line: f.line, character: f.start }, end: { line: f.line, character: f.end } },
    severity: severities[f.severity], code: f.code, source: DIAGNOSTIC_SOURCE, message: f.message,
    data: f.replacement === undefined ? undefined : { replacement: f.replacement },
  };
}

/** What a hover says about a module named in a Dockerfile, resolved against the Dockerfile's folder. */
export function describeModuleFile(dockerfileUri: string, relative: string): string {
  if (!dockerfileUri.startsWith('file:')) return `\`${relative}\``;
  const file = path.resolve(path.dirname(fileURLToPath(dockerfileUri)), relative.replace(/^\//, ''));
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return `\`${relative}\`: not found next to the Dockerfile (${file}).`;
  }
  try {
    const header = readWasmHeader(readFileSync(file).subarray(0, 8));
    const kind = header.kind === 'component' ? `WebAssembly component (version 0x${header.version.toString(16)})` : 'WebAssembly core module';
    return `**${path.basename(file)}**: ${kind}, ${formatBytes(size)}`;
  } catch (e) {
    return `\`${relative}\`: ${(e as Error).message}`;
  }
}

/** Wires the Dockerfile features to a connection; used by the real server and by in-process tests. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'wasm-containers-language-server' },
  }));

  const validate = (doc: TextDocument) => {
    connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: checkDockerfileText(doc.getText()).map(toDiagnostic) });
  };
  documents.onDidChangeContent((e) => validate(e.document));
  documents.onDidClose((e) => connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));

  connection.onHover(({ textDocument, position }): Hover | null => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return null;
    const line = doc.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
    const hit = wasmPathsOnLine(line).find((p) => position.character >= p.start && position.character <= p.end);
    if (!hit) return null;
    return {
      contents: { kind: 'markdown', value: describeModuleFile(textDocument.uri, hit.path) },
      range: { start: { line: position.line, character: hit.start }, end: { line: position.line, character: hit.end } },
    };
  });

  connection.onCodeAction(({ textDocument, context }): CodeAction[] =>
    context.diagnostics
      .filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof (d.data as { replacement?: unknown })?.replacement === 'string')
      .map((d) => ({
        title: `Replace with '${(d.data as { replacement: string }).replacement}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [textDocument.uri]: [{ range: d.range, newText: (d.data as { replacement: string }).replacement }] } },
      })),
  );

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}
