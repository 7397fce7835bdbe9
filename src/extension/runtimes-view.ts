import * as vscode from 'vscode';
import { detectRuntimes, type Catalog, type RuntimeStatus } from '../core/runtimes/runtime-catalog';
import { readConfig } from './config';
import type { IgnoredSetting } from '../core/settings-file';
import { describeIgnored } from './ignored-settings';
import { engineHints, runtimeHints } from '../core/hints';
import { installTexts } from '../core/runtimes/runtime-report';
import { hintMarkdown } from './hints';
import { settingsTooltip as tooltip } from './command-context';

type Node =
  | { ignored: IgnoredSetting }
  | { group: 'wasm' | 'native'; label: string }
  | { runtime: RuntimeStatus }
  | { engine: Catalog['engines'][number] };

/** The Runtimes view: every runtime found, its version and what it supports, or why it is missing. */
export class RuntimesView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private catalog: Promise<Catalog> | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Settings set where this window does not read them (a remote window's User settings). */
    private readonly ignored: () => IgnoredSetting[] = () => [],
  ) {}

  private ignoredNow: IgnoredSetting[] = [];

  /** How many times runtimes were detected (the extension's API reports it to tests). */
  detections = 0;

  /** Detects again (talks to the engines) and returns what it found. */
  refresh(): Promise<Catalog> {
    this.detections++;
    this.ignoredNow = this.ignored();
    const config = readConfig();
    this.catalog = detectRuntimes({
      nodePath: config.nodePath,
      paths: config.runtimePaths,
      dockerHost: config.dockerHost,
    });
    this.catalog.then(
      (c) =>
        this.log.info(
          `runtimes: ${c.runtimes
            .filter((r) => r.available)
            .map((r) => r.id)
            .join(', ')} available`,
        ),
      (e: unknown) => this.log.error(`runtime detection failed: ${String(e)}`),
    );
    this.changed.fire();
    return this.catalog;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    // detection starts when the view is first shown, never at activation
    const catalog = await (this.catalog ?? this.refresh());
    if (!node) {
      return [
        ...this.ignoredNow.map((ignored) => ({ ignored })),
        { group: 'wasm', label: 'Wasm runtimes' },
        { group: 'native', label: 'Native runtimes' },
        ...catalog.engines.map((engine) => ({ engine })),
      ];
    }
    if ('group' in node)
      return catalog.runtimes.filter((r) => r.runs === node.group).map((runtime) => ({ runtime }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('ignored' in node) return describeIgnored(node.ignored);
    if ('group' in node) {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.contextValue = 'group';
      return item;
    }
    if ('engine' in node) {
      const r = node.engine.report;
      const item = new vscode.TreeItem(`${node.engine.name} engine`);
      item.description = r.reachable
        ? `${r.serverVersion}, Wasm: ${r.canRunWasm ? 'yes' : 'no'}`
        : 'not reachable';
      item.tooltip = tooltip(
        r.reachable
          ? [
              `**${node.engine.name}** at \`${node.engine.host}\``,
              `Engine ${r.serverVersion} (API ${r.apiVersion})`,
              `Runtimes: ${r.runtimes.join(', ')}`,
              `Containerd image store: ${r.containerdImageStore ? 'yes' : 'no'}`,
              ...(r.wasmReason ? [r.wasmReason] : []),
            ]
          : [
              r.reason ?? 'not reachable',
              ...hintMarkdown(engineHints(node.engine.name, false, node.engine.host), r.reason),
            ],
      );
      item.iconPath = new vscode.ThemeIcon('server-environment');
      return item;
    }
    const r = node.runtime;
    const item = new vscode.TreeItem(r.displayName);
    item.id = r.id;
    item.description = r.available ? r.version : 'not available';
    item.iconPath = new vscode.ThemeIcon(
      r.available ? 'pass' : 'circle-slash',
      new vscode.ThemeColor(r.available ? 'testing.iconPassed' : 'disabledForeground'),
    );
    const caps = r.capabilities;
    const lines = [
      `**${r.displayName}** (\`${r.id}\`)`,
      ...(r.available
        ? [`Version: ${r.version}`]
        : [
            `Not available: ${r.reason}`,
            ...hintMarkdown(runtimeHints(r, installTexts()), r.reason),
          ]),
    ];
    const ignoredPath = this.ignoredNow.find((i) => i.key === 'wasmContainers.runtime.paths')
      ?.value as Record<string, unknown> | undefined;
    if (!r.available && typeof ignoredPath?.[r.id] === 'string')
      lines.push(
        `Your User settings name \`${String(ignoredPath[r.id])}\` for it, but this remote window does not read machine settings from there: put \`wasmContainers.runtime.paths\` in the Remote settings.`,
      );
    if (caps) {
      lines.push(
        `WASI preview1: ${caps.wasiPreview1 ? 'yes' : 'no'} · components: ${caps.components ? 'yes' : 'no'}`,
        `Directories: \`${caps.dirMapping}\``,
      );
      if (caps.aot) lines.push(`AOT: ${caps.aot}`);
      if (caps.limits.length > 0) lines.push(`Limits: ${caps.limits.join(', ')}`);
    }
    item.tooltip = tooltip(lines);
    item.contextValue = r.available ? 'runtime.available' : 'runtime.missing';
    return item;
  }
}
