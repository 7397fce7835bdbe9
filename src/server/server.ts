import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  dockerfileCodeActions,
  dockerfileCodeLenses,
  dockerfileCompletions,
  dockerfileDiagnostics,
  dockerfileHover,
} from './dockerfile-language';
import { watDiagnostics, watHover, watSymbols } from './wat-language';

export { describeModuleFile } from './dockerfile-language';

const isWat = (doc: TextDocument) => doc.languageId === 'wat' || doc.uri.endsWith('.wat');

/** Wires the Dockerfile and WAT features to a connection; used by the real server and by in-process tests. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      completionProvider: { triggerCharacters: ['=', '/', ' '] },
      codeLensProvider: { resolveProvider: false },
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'wasm-containers-language-server' },
  }));

  // the latest validation of a document wins: a slow wabt parse never overwrites a newer result
  const versions = new Map<string, number>();
  const validate = async (doc: TextDocument) => {
    versions.set(doc.uri, doc.version);
    let diagnostics;
    try {
      diagnostics = isWat(doc) ? await watDiagnostics(doc) : dockerfileDiagnostics(doc);
    } catch (e) {
      connection.console.error(
        `validating ${doc.uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return;
    }
    if (versions.get(doc.uri) === doc.version)
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };
  documents.onDidChangeContent((e) => void validate(e.document));
  documents.onDidClose((e) => {
    versions.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return null;
    return isWat(doc) ? watHover(doc, position) : dockerfileHover(doc, position);
  });
  connection.onCodeAction(({ textDocument, context }) =>
    dockerfileCodeActions(textDocument.uri, context.diagnostics),
  );
  connection.onCompletion(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc && !isWat(doc) ? dockerfileCompletions(doc, position) : [];
  });
  connection.onCodeLens(({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc && !isWat(doc) ? dockerfileCodeLenses(doc) : [];
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc && isWat(doc) ? watSymbols(doc) : [];
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}
