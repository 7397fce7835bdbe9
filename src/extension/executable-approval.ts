import * as vscode from 'vscode';

const APPROVED_KEY = 'wasmContainers.approvedExecutables';

/**
 * Executables named in workspace settings come from whoever wrote the folder: the user approves each
 * path once (remembered across workspaces) before it runs. User-level settings need no approval.
 */
export async function approveWorkspaceExecutables(
  state: vscode.Memento,
  scope: vscode.Uri | undefined,
): Promise<boolean> {
  const inspected = vscode.workspace
    .getConfiguration('wasmContainers', scope)
    .inspect<Record<string, string>>('runtime.paths');
  const fromWorkspace = {
    ...(inspected?.workspaceValue ?? {}),
    ...(inspected?.workspaceFolderValue ?? {}),
  };
  const node = vscode.workspace
    .getConfiguration('wasmContainers', scope)
    .inspect<string>('node.path');
  const named = [
    ...Object.values(fromWorkspace),
    node?.workspaceFolderValue ?? node?.workspaceValue,
  ].filter((p): p is string => !!p);
  const approved = new Set(state.get<string[]>(APPROVED_KEY, []));
  for (const exe of named) {
    if (approved.has(exe)) continue;
    const choice = await vscode.window.showWarningMessage(
      `This workspace's settings name an executable to run: ${exe}. Run it?`,
      {
        modal: true,
        detail:
          'Wasm Containers runs it to execute and measure modules. Allow only executables you trust; the choice is remembered.',
      },
      'Allow',
    );
    if (choice !== 'Allow') return false;
    approved.add(exe);
    await state.update(APPROVED_KEY, [...approved]);
  }
  return true;
}
