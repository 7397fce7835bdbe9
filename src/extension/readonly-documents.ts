import * as vscode from 'vscode';

const SCHEME = 'wasm-containers-view';
const contents = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

/**
 * Read-only documents the extension shows (a module as WAT, an engine's image inspection): a
 * virtual document per name, never an Untitled buffer the user is asked to save on close.
 */
export function registerReadonlyDocuments(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => contents.get(uri.path) ?? '',
  });
}

/** Shows `content` read-only under `name` (its extension picks the language: .wat, .json). */
export async function showReadonly(
  name: string,
  content: string,
  options: { preview?: boolean } = {},
): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}` });
  contents.set(uri.path, content);
  changed.fire(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: options.preview ?? false });
}
