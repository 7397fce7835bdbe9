import * as vscode from 'vscode';

/** The .wasm a command acts on: the one right-clicked, the active editor's, or one the user picks. */
export async function pickWasmFile(
  uri: vscode.Uri | undefined,
  title: string,
): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
  if (active?.path.endsWith('.wasm')) return active;
  const found = await vscode.workspace.findFiles('**/*.wasm', '**/node_modules/**', 200);
  if (found.length === 0) {
    void vscode.window.showInformationMessage(
      `${title}: no .wasm file in this workspace. Build one (e.g. clang-14 --target=wasm32-wasi) or open a folder that has one.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
    { title, placeHolder: 'Which module?' },
  );
  return picked?.uri;
}

function activeCustomEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.uri : undefined;
}
