import { rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { listRuns, loadResult, runsDirectory } from '../core/profile/results-store';
import type { RunEntry } from '../shared/webview-protocol';
import type { CommandContext } from './command-context';
import { ProfilePanel } from './profile-panel';
import { EXPORT_FORMATS, exportRun } from './run-export';

type Node = { run: RunEntry } | { message: string };

const runsDirs = (): string[] =>
  (vscode.workspace.workspaceFolders ?? []).map((f) => runsDirectory(f.uri.fsPath));

/**
 * The Runs view: the profiles stored in .wasm-containers/runs of each workspace folder, newest
 * first, whatever made them (Profile Against Native, a spec, an image, the CLI). Open one, compare
 * two (targets matched by role, not by id), export or delete.
 */
export class RunsView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  runs(): RunEntry[] {
    return runsDirs()
      .flatMap((dir) => listRuns(dir))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  getChildren(node?: Node): Node[] {
    if (node) return [];
    const runs = this.runs().map((run) => ({ run }));
    return runs.length > 0
      ? runs
      : [{ message: 'No profile stored yet: right-click a .wasm → Profile Against Native.' }];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('message' in node) {
      const item = new vscode.TreeItem(node.message);
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const r = node.run;
    const item = new vscode.TreeItem(r.name);
    item.id = r.file;
    const when = new Date(r.startedAt).toLocaleString();
    item.description = `${when} · ${r.targets.length} target${r.targets.length === 1 ? '' : 's'}${r.status === 'complete' ? '' : ` · ${r.status}`}`;
    item.tooltip = new vscode.MarkdownString(
      `**${r.name}**\n\n${when}, ${r.status}\n\nTargets: ${r.targets.map((t) => `\`${t}\``).join(', ')}\n\n${vscode.workspace.asRelativePath(r.file)}`,
    );
    item.iconPath = new vscode.ThemeIcon(
      r.status === 'complete' ? 'graph' : r.status === 'failed' ? 'warning' : 'watch',
    );
    item.contextValue = 'wasmContainers.run';
    item.command = { command: 'wasmContainers.run.open', title: 'Open', arguments: [node] };
    return item;
  }
}

/** The runs a command acts on: the clicked one and the others selected with it. */
function chosen(node: unknown, selected: unknown): RunEntry[] {
  const all = [...(Array.isArray(selected) ? (selected as unknown[]) : []), node]
    .map((n) => (n as { run?: RunEntry } | undefined)?.run)
    .filter((r): r is RunEntry => !!r);
  return [...new Map(all.map((r) => [r.file, r])).values()];
}

async function pickRun(
  view: RunsView,
  title: string,
  except?: string,
): Promise<RunEntry | undefined> {
  const runs = view.runs().filter((r) => r.file !== except);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      except ? 'There is no other stored run to compare with.' : 'No profile stored yet.',
    );
    return undefined;
  }
  return (
    await vscode.window.showQuickPick(
      runs.map((run) => ({
        label: run.name,
        description: new Date(run.startedAt).toLocaleString(),
        detail: run.targets.join(', '),
        run,
      })),
      { title, matchOnDescription: true },
    )
  )?.run;
}

/**
 * Registers the view and its commands. The view refreshes when a profile finishes, when it is shown
 * again, and when a run file appears or goes (the CLI's runs, deletions).
 */
export function registerRunsView(ctx: CommandContext): RunsView {
  const view = new RunsView();
  const { log } = ctx;
  const tree = ctx.keep(
    vscode.window.createTreeView('wasmContainers.runs', {
      treeDataProvider: view,
      canSelectMany: true,
    }),
  );
  // a profile that finished (any entry point), and the view shown again: list what is on disk now
  ctx.keep(ProfilePanel.onRunStored(() => view.refresh()));
  ctx.keep(tree.onDidChangeVisibility((e) => (e.visible ? view.refresh() : undefined)));
  const watcher = ctx.keep(
    vscode.workspace.createFileSystemWatcher('**/.wasm-containers/runs/*.json'),
  );
  for (const event of [watcher.onDidCreate, watcher.onDidDelete, watcher.onDidChange])
    ctx.keep(event(() => view.refresh()));
  ctx.keep(vscode.workspace.onDidChangeWorkspaceFolders(() => view.refresh()));
  const panel = (dir?: string) => ProfilePanel.open(ctx.extension, log, dir);

  ctx.register('runs.refresh', () => {
    view.refresh();
    return view.runs();
  });
  ctx.register('run.open', async (node?: unknown) => {
    const run = chosen(node, undefined)[0] ?? (await pickRun(view, 'Open which run?'));
    if (!run) return { status: 'cancelled' as const };
    const p = panel(path.dirname(run.file));
    p.show(run.file);
    return { status: 'opened' as const, file: run.file };
  });
  ctx.register('run.compare', async (node?: unknown, selected?: unknown) => {
    let runs = chosen(node, selected);
    if (runs.length > 2) {
      void vscode.window.showInformationMessage('Compare takes two runs: select two.');
      return { status: 'cancelled' as const };
    }
    if (runs.length === 0) {
      const first = await pickRun(view, 'Compare: the first run');
      if (!first) return { status: 'cancelled' as const };
      runs = [first];
    }
    if (runs.length === 1) {
      const other = await pickRun(view, `Compare ${runs[0].name} with…`, runs[0].file);
      if (!other) return { status: 'cancelled' as const };
      runs.push(other);
    }
    // the older run is the baseline
    const [baseline, current] = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    panel(path.dirname(current.file)).compare(baseline.file, current.file);
    return { status: 'compared' as const, baseline: baseline.file, current: current.file };
  });
  ctx.register('run.delete', async (node?: unknown, selected?: unknown) => {
    const runs = chosen(node, selected);
    if (runs.length === 0) return { status: 'cancelled' as const };
    const what = runs.length === 1 ? `the run "${runs[0].name}"` : `${runs.length} runs`;
    const answer = await vscode.window.showWarningMessage(
      `Delete ${what}? The stored result${runs.length === 1 ? ' is' : 's are'} removed from .wasm-containers/runs.`,
      { modal: true },
      'Delete',
    );
    if (answer !== 'Delete') return { status: 'cancelled' as const };
    for (const r of runs) rmSync(r.file, { force: true });
    log.info(`deleted ${runs.map((r) => r.file).join(', ')}`);
    view.refresh();
    return { status: 'deleted' as const, files: runs.map((r) => r.file) };
  });
  ctx.register('run.export', async (node?: unknown) => {
    const run = chosen(node, undefined)[0] ?? (await pickRun(view, 'Export which run?'));
    if (!run) return { status: 'cancelled' as const };
    const format = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: f.label, format: f.format })),
      { title: `Export ${run.name} as…` },
    );
    if (!format) return { status: 'cancelled' as const };
    const file = await exportRun(
      log,
      loadResult(run.file),
      run.file,
      format.format,
      path.dirname(run.file),
    );
    return file ? { status: 'exported' as const, file } : { status: 'cancelled' as const };
  });
  return view;
}
