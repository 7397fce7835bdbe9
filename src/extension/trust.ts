import * as vscode from 'vscode';

/**
 * Nothing executes in an untrusted workspace. Returns false (after telling the user why and how to
 * change it) when the workspace is not trusted.
 */
export function ensureTrusted(action: string, log: vscode.LogOutputChannel): boolean {
  if (vscode.workspace.isTrusted) return true;
  const message = `${action} is disabled in Restricted Mode: Wasm Containers executes nothing from a folder you have not trusted. Trust the folder to enable it.`;
  log.warn(message);
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
