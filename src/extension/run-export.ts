import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/atomic-write';
import { renderCsv } from '../core/profile/report-csv';
import { standaloneHtml } from '../core/profile/report-html';
import { renderMarkdownReport } from '../core/profile/report-markdown';
import type { ProfileResult } from '../core/profile/result-schema';
import type { ExportFormat } from '../shared/webview-protocol';

export const EXPORT_FORMATS: Array<{ format: ExportFormat; label: string; ext: string }> = [
  { format: 'html', label: 'HTML report', ext: 'html' },
  { format: 'markdown', label: 'Markdown report', ext: 'md' },
  { format: 'csv', label: 'CSV (one row per sample)', ext: 'csv' },
  { format: 'json', label: 'JSON (the stored result)', ext: 'json' },
];

/** Where exports of the runs in `runsDir` go by default (.wasm-containers/reports), created when missing. */
export function reportsDirectory(runsDir: string): string {
  const dir = path.join(path.dirname(runsDir), 'reports');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function renderExport(result: ProfileResult, format: ExportFormat): string {
  const title = result.settings.name ?? 'Profile';
  return format === 'json'
    ? JSON.stringify(result, null, 2) + '\n'
    : format === 'csv'
      ? renderCsv(result)
      : format === 'markdown'
        ? renderMarkdownReport(result, title)
        : standaloneHtml({ result, runs: [], live: false }, title);
}

/** A file written by an export, said with an Open button (and Reveal where the OS has a file manager). */
export function announceFile(message: string, file: vscode.Uri): void {
  void vscode.window.showInformationMessage(message, 'Open').then((choice) => {
    if (choice !== 'Open') return;
    // an HTML report opens in the browser where the file is on this machine; in a remote window
    // (its file is on the server) and for the other formats, in the editor
    if (file.fsPath.endsWith('.html') && !vscode.env.remoteName) void vscode.env.openExternal(file);
    else void vscode.window.showTextDocument(file);
  });
}

/**
 * Exports a stored run: the save dialog starts in .wasm-containers/reports (created as needed), the
 * file is written, and a notification with an Open button says where. Returns the file written.
 */
export async function exportRun(
  log: vscode.LogOutputChannel,
  result: ProfileResult,
  resultFile: string | undefined,
  format: ExportFormat,
  runsDir: string | undefined,
): Promise<string | undefined> {
  const { ext } = EXPORT_FORMATS.find((f) => f.format === format)!;
  const base = resultFile ? path.basename(resultFile, '.json') : result.id;
  const dir = runsDir ?? (resultFile ? path.dirname(resultFile) : undefined);
  const target = await vscode.window.showSaveDialog({
    defaultUri: dir
      ? vscode.Uri.file(path.join(reportsDirectory(dir), `${base}.${ext}`))
      : undefined,
    filters: { [format.toUpperCase()]: [ext] },
    title: `Export the profile as ${format.toUpperCase()}`,
  });
  if (!target) return undefined;
  mkdirSync(path.dirname(target.fsPath), { recursive: true });
  writeFileAtomic(target.fsPath, renderExport(result, format));
  log.info(`exported ${format} to ${target.fsPath}`);
  announceFile(`Exported the profile to ${path.basename(target.fsPath)}.`, target);
  return target.fsPath;
}
