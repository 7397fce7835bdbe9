import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from 'vscode-languageserver/node';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export interface ServerOptions {
  /** Edits closer together than this are validated once, after the last one (default 200 ms). */
  debounceMs?: number;
}

/** Typing pauses longer than this; a burst of edits (or of file events) is analysed once. */
export const EDIT_DEBOUNCE_MS = 200;

/** The build context a Dockerfile's COPY/ADD sources come from: the folder it is in. */
function contextFolder(doc: TextDocument): string | undefined {
  return doc.uri.startsWith('file:') ? path.dirname(fileURLToPath(doc.uri)) : undefined;
}

/** Wires the Dockerfile and WAT features to a connection; used by the real server and by in-process tests. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const debounceMs = options.debounceMs ?? EDIT_DEBOUNCE_MS;

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
  const latest = new Map<string, number>();
  const pending = new Map<string, NodeJS.Timeout>();
  let generation = 0;
  const validate = async (uri: string) => {
    clearTimeout(pending.get(uri));
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    const mine = ++generation;
    latest.set(uri, mine);
    let diagnostics;
    try {
      diagnostics = isWat(doc) ? await watDiagnostics(doc) : dockerfileDiagnostics(doc);
    } catch (e) {
      connection.console.error(
        `validating ${doc.uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return;
    }
    if (latest.get(uri) === mine)
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };
  const schedule = (uri: string) => {
    clearTimeout(pending.get(uri));
    pending.set(
      uri,
      setTimeout(() => void validate(uri), debounceMs),
    );
  };
  // a document just opened is validated at once (onDidOpen fires before onDidChangeContent);
  // its edits once typing pauses
  const opened = new Set<string>();
  documents.onDidOpen((e) => opened.add(e.document.uri));
  documents.onDidChangeContent((e) => {
    if (opened.delete(e.document.uri)) void validate(e.document.uri);
    else schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    latest.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  // a Dockerfile's diagnostics depend on its build context (COPY sources exist, are modules):
  // the client reports file changes, and the Dockerfiles whose context holds them are checked again
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const changed = changes
      .filter((c) => c.uri.startsWith('file:'))
      .map((c) => fileURLToPath(c.uri));
    for (const doc of documents.all()) {
      const context = contextFolder(doc);
      if (isWat(doc) || !context) continue;
      if (changed.some((file) => file.startsWith(context + path.sep))) schedule(doc.uri);
    }
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
