import { writeFileAtomic } from '../core/atomic-write';
import path from 'node:path';
import * as vscode from 'vscode';
import { newNonce, webviewHtml } from '../core/webview-page';
import type { ProfileResult } from '../core/profile/result-schema';
import { listRuns, loadResult, runsDirectory } from '../core/profile/results-store';
import { existsSync } from 'node:fs';
import { errorMessage } from '../core/process/errors';
import { addScenarioAndRun } from './scenario-actions';
import { announceFile, exportRun, reportsDirectory } from './run-export';
import {
  parseFromWebview,
  type ExportFormat,
  type FromWebview,
  type PanelState,
  type ToWebview,
} from '../shared/webview-protocol';

const VIEW_TYPE = 'wasmContainers.profilePanel';

/** Scripts on; resources only from the bundled webview folder (created and revived panels alike). */
const webviewOptions = (context: vscode.ExtensionContext): vscode.WebviewOptions => ({
  enableScripts: true,
  localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
});

/**
 * "Wasm Containers: Profiling": one panel showing a profile (live while it runs), the stored runs
 * and comparisons. Restored after a reload from the result file it showed (not kept alive hidden).
 */
export class ProfilePanel {
  private static current: ProfilePanel | undefined;
  private static readonly stored = new vscode.EventEmitter<string>();
  /** A profile finished and its result file was written (the Runs view lists it). */
  static readonly onRunStored = ProfilePanel.stored.event;
  private state: PanelState = { runs: [], live: false };
  private ready = false;
  /** Set while a profile runs: the panel's Cancel button calls it. */
  onCancel: (() => void) | undefined;

  static register(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel,
  ): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        const p = new ProfilePanel(panel, context, log);
        const file = (saved as { resultFile?: unknown } | undefined)?.resultFile;
        // the webview's state may not have been saved yet (a reload right after a profile): the newest run
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        p.runsDir = folder ? runsDirectory(folder) : undefined;
        p.show(typeof file === 'string' && existsSync(file) ? file : undefined);
        return Promise.resolve();
      },
    });
  }

  /** The panel (created or revealed), showing a stored run or the newest one of the runs folder. */
  static open(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel,
    runsDir: string | undefined,
  ): ProfilePanel {
    if (!ProfilePanel.current) {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'Wasm Containers: Profiling',
        vscode.ViewColumn.Active,
        webviewOptions(context),
      );
      new ProfilePanel(panel, context, log);
    } else {
      ProfilePanel.current.panel.reveal();
    }
    const p = ProfilePanel.current!;
    p.runsDir = runsDir ?? p.runsDir;
    return p;
  }

  private runsDir: string | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    ProfilePanel.current = this;
    const webview = panel.webview;
    webview.options = webviewOptions(context); // a revived panel comes without them
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    webview.html = webviewHtml({
      nonce: newNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(
          vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'profile-panel.js'),
        )
        .toString(),
      styleUri: webview
        .asWebviewUri(
          vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'profile-panel.css'),
        )
        .toString(),
      title: 'Wasm Containers: Profiling',
    });
    webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseFromWebview(raw);
      if (!message) {
        this.log.warn(
          `profiling panel: ignored a message outside the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`,
        );
        return;
      }
      void this.handle(message).catch((e: unknown) => {
        this.log.error(`profiling panel: ${message.type} failed: ${errorMessage(e)}`);
        void vscode.window.showErrorMessage(`Wasm Containers: ${errorMessage(e)}`);
      });
    });
    panel.onDidDispose(() => {
      if (ProfilePanel.current === this) ProfilePanel.current = undefined;
      this.onCancel?.();
    });
  }

  /** Shows a stored result (or the newest run when none is named). */
  show(resultFile?: string): void {
    if (resultFile) this.runsDir = path.dirname(resultFile);
    const runs = this.runsDir ? listRuns(this.runsDir) : [];
    const file = resultFile ?? runs[0]?.file;
    let result: ProfileResult | undefined;
    if (file) {
      try {
        result = loadResult(file);
      } catch (e) {
        this.log.warn(`profiling panel: ${errorMessage(e)}`);
      }
    }
    this.update({ result, resultFile: file, runs, live: false });
  }

  /** Shows `currentFile` compared with `baselineFile` (target by target, matched by role). */
  compare(baselineFile: string, currentFile: string): void {
    this.runsDir = path.dirname(currentFile);
    const current = loadResult(currentFile);
    const baseline = loadResult(baselineFile);
    this.update({
      result: current,
      resultFile: currentFile,
      baseline,
      runs: listRuns(this.runsDir),
      live: false,
    });
  }

  update(state: PanelState): void {
    this.state = state;
    this.post({ type: 'state', state });
  }

  progress(message: string, done: number, total: number): void {
    this.post({ type: 'progress', message, done, total });
  }

  /** The profile finished: show the final result and the refreshed history. */
  finish(result: ProfileResult, resultFile: string): void {
    ProfilePanel.stored.fire(resultFile);
    this.runsDir = path.dirname(resultFile);
    this.onCancel = undefined;
    this.update({ result, resultFile, runs: listRuns(this.runsDir), live: false });
  }

  private post(message: ToWebview): void {
    // before 'ready' the webview would drop it; the state is sent again on 'ready'
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'state', state: this.state });
        return;
      case 'cancel':
        this.log.info('profiling panel: cancel requested');
        this.onCancel?.();
        return;
      case 'openRaw':
        if (this.state.resultFile)
          await vscode.window.showTextDocument(vscode.Uri.file(this.state.resultFile));
        return;
      case 'openRun':
        this.show(this.checkedRunFile(message.file));
        return;
      case 'compare':
        this.compare(
          this.checkedRunFile(message.baselineFile),
          this.checkedRunFile(message.currentFile),
        );
        return;
      case 'export':
        await this.exportResult(message.format);
        return;
      case 'addScenario':
        if (this.state.result)
          await addScenarioAndRun(
            this.log,
            this.state.result,
            this.state.resultFile,
            message.scenario,
          );
        return;
      case 'saveChart': {
        const target = await vscode.window.showSaveDialog({
          defaultUri: this.runsDir
            ? vscode.Uri.file(path.join(reportsDirectory(this.runsDir), `${message.name}.png`))
            : undefined,
          filters: { PNG: ['png'] },
        });
        if (!target) return;
        writeFileAtomic(
          target.fsPath,
          Buffer.from(message.pngDataUrl.slice('data:image/png;base64,'.length), 'base64'),
        );
        this.log.info(`saved chart ${message.name} to ${target.fsPath}`);
        announceFile(`Saved the chart to ${path.basename(target.fsPath)}.`, target);
        return;
      }
    }
  }

  /** Only files of the runs folder this panel lists can be opened from the webview. */
  private checkedRunFile(file: string): string {
    if (!this.state.runs.some((r) => r.file === file))
      throw new Error(`${file} is not one of the listed runs.`);
    return file;
  }

  private async exportResult(format: ExportFormat): Promise<void> {
    if (this.state.result)
      await exportRun(this.log, this.state.result, this.state.resultFile, format, this.runsDir);
  }

  /** For tests: what the panel currently shows. */
  get shown(): PanelState {
    return this.state;
  }

  static get active(): ProfilePanel | undefined {
    return ProfilePanel.current;
  }
}
