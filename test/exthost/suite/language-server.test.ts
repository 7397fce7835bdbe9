import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Dockerfile language server through vscode-languageclient', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'Dockerfile'));
    await vscode.window.showTextDocument(doc);
  });

  it('reports wasm32 in the platform, and the quick fix applied through the API fixes it', async () => {
    const diagnostic = await waitFor('the wasm32 diagnostic', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'platform-wasm32'));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.source, 'wasm-containers');
    assert.equal(doc.getText(diagnostic.range), 'wasm32');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === "Replace with 'wasm'");
    assert.ok(fix?.edit, `no fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(0).text, 'FROM --platform=wasi/wasm scratch');
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'platform-wasm32') ? undefined : true));
  });

  it('hovers the module named by COPY with what it is', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 8));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*hello\.wasm\*\*: WebAssembly core module, [\d.]+ KiB/);
  });
});
