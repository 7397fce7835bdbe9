import * as vscode from 'vscode';
import { TOOL_VERSION } from '../core/version';
import { CommandContext } from './command-context';
import { removeLiveContainers } from '../core/engines/docker/container';
import { profileModuleCommand } from './commands/profile-module';
import { createSpecCommand, profileSpecCommand } from './commands/profile-spec';
import { runModuleCommand, runNativeCommand, type RunModuleOptions } from './commands/run-module';
import { startLanguageClientWhenNeeded } from './language-client';
import { registerBuildTasks } from './build-tasks';
import { catalogToJson } from '../core/runtimes/runtime-report';
import { RuntimesView } from './runtimes-view';
import { settingsIgnoredHere } from './ignored-settings';
import { ImagesView } from './images-view';
import { registerRunsView } from './runs-view';
import {
  isLocalImage,
  pickAnyImage,
  profileLocalImageCommand,
  registerImageActions,
  runLocalImageCommand,
} from './commands/image-actions';
import { registerReadonlyDocuments } from './readonly-documents';
import {
  buildNativeCommand,
  buildWasmCommand,
  profileImageCommand,
  runImageCommand,
} from './commands/image-commands';
import { ProfilePanel } from './profile-panel';
import { runsDirectory } from '../core/profile/results-store';
import { inspectModuleCommand, WasmInspectorProvider } from './wasm-inspector';
import { pickWasmFile } from './commands/pick-wasm';
import {
  compileWatCommand,
  newProjectCommand,
  type NewProjectOptions,
} from './commands/project-commands';

/** When the bundle's code began evaluating: its first line (scripts/build.mjs); absent from sources. */
declare const __wcLoadStart: number | undefined;
const loadStart = typeof __wcLoadStart === 'number' ? __wcLoadStart : undefined;
/** When it finished: the bundle's last line sets it (after this module's own top level). */
// eslint-disable-next-line no-var -- assigned by the bundle's footer, outside this module
declare var __wcLoadEnd: number | undefined;

/** How long activation took, in ms of the extension host's clock. */
export interface ActivationTimes {
  /** Evaluating the bundle's code, first line to last (absent when run from sources). */
  loadMs?: number;
  /** From the bundle's last line to activate(): the extension host's own work in between. */
  hostMs?: number;
  /** activate() itself: registering commands, views and providers. */
  activateMs: number;
}

/** What activate() returns: for the extension-host tests (vscode.extensions…exports). */
export interface WasmContainersApi {
  /** How long this activation took (the log's "activated in …" line says the same). */
  activation: ActivationTimes;
  /** How many times the Runtimes view detected runtimes (it does again when settings change). */
  runtimeDetections(): number;
  /** What the Runtimes view shows: each runtime row under its group, as the tree renders it. */
  runtimesViewRows(): Promise<RuntimesViewRow[]>;
  /** How many times the Images view refreshed (it does when the engine's address changes). */
  imagesViewRefreshes(): number;
  /** What the Images view shows at its top level: each row's label, tooltip and click command. */
  imagesViewRows(): Promise<ImagesViewRow[]>;
}

export interface ImagesViewRow {
  label: string;
  /** The tooltip's text (Markdown where it has links). */
  tooltip?: string;
  /** What a click on the row runs. */
  command?: { command: string; arguments?: unknown[] };
}

const labelText = (l: string | vscode.TreeItemLabel | undefined) =>
  typeof l === 'string' ? l : (l?.label ?? '');

/** The top-level rows of the Images view, read through its tree data provider. */
async function imageRowsOf(view: ImagesView): Promise<ImagesViewRow[]> {
  return (await view.getChildren()).map((node) => {
    const item = view.getTreeItem(node);
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
    return {
      label: labelText(item.label),
      ...(tooltip !== undefined ? { tooltip } : {}),
      ...(item.command
        ? { command: { command: item.command.command, arguments: item.command.arguments } }
        : {}),
    };
  });
}

export interface RuntimesViewRow {
  group: string;
  id?: string;
  label: string;
  description?: string;
}

/** The rows of the Runtimes view, read through its tree data provider as the tree reads them. */
async function rowsOf(view: RuntimesView): Promise<RuntimesViewRow[]> {
  const text = labelText;
  const rows: RuntimesViewRow[] = [];
  for (const group of await view.getChildren()) {
    const groupItem = view.getTreeItem(group);
    for (const node of await view.getChildren(group)) {
      const item = view.getTreeItem(node);
      rows.push({
        group: text(groupItem.label),
        id: item.id,
        label: text(item.label),
        description: typeof item.description === 'string' ? item.description : undefined,
      });
    }
  }
  return rows;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** The log's first line: what runs where, and what activation cost the editor. */
function activationLine(times: ActivationTimes): string {
  const where = vscode.env.remoteName ? `remote ${vscode.env.remoteName}` : 'local';
  const load =
    times.loadMs !== undefined
      ? `, code evaluated in ${ms(times.loadMs)}, then ${ms(times.hostMs ?? 0)} in the extension host`
      : '';
  return `Wasm Containers ${TOOL_VERSION} activated in ${ms(times.activateMs)}${load} (node ${process.versions.node}, ${where}, trusted: ${vscode.workspace.isTrusted})`;
}

export function activate(context: vscode.ExtensionContext): WasmContainersApi {
  const activateStart = performance.now();
  const ctx = new CommandContext(context);
  const { log } = ctx;

  const runtimesView = new RuntimesView(log, () => settingsIgnoredHere(context, log));
  const imagesView = new ImagesView(log);
  ctx.keep(vscode.window.registerTreeDataProvider('wasmContainers.images', imagesView));
  ctx.keep(vscode.window.registerTreeDataProvider('wasmContainers.runtimes', runtimesView));
  // what the views show depends on these settings: detect again when they change
  ctx.onConfigurationChange(['runtime.paths', 'node.path', 'docker.host'], () => {
    log.info('settings changed: detecting runtimes again');
    void runtimesView.refresh();
  });
  ctx.onConfigurationChange(['docker.host'], () => imagesView.refresh());

  ctx.register('images.refresh', async () => {
    imagesView.refresh();
    return { engine: await imagesView.list().catch(() => []), local: imagesView.localImages() };
  });
  ctx.register(
    'image.buildNative',
    (uri?: vscode.Uri) => buildNativeCommand(ctx, imagesView, uri),
    { executes: 'Building an image' },
  );
  ctx.register('image.buildWasm', (uri?: vscode.Uri) => buildWasmCommand(ctx, imagesView, uri), {
    executes: 'Building an image',
  });
  ctx.register(
    'image.run',
    async (arg?: unknown, options?: { runtime?: string }) => {
      const image = arg ?? (await pickAnyImage(imagesView));
      if (image === undefined) return { status: 'cancelled' as const };
      return isLocalImage(image)
        ? runLocalImageCommand(ctx, imagesView, image, options)
        : runImageCommand(ctx, imagesView, image, options);
    },
    { executes: 'Running an image' },
  );
  ctx.register(
    'image.profile',
    async (arg?: unknown) => {
      const image = arg ?? (await pickAnyImage(imagesView));
      if (image === undefined) return { status: 'cancelled' as const };
      return isLocalImage(image)
        ? profileLocalImageCommand(ctx, imagesView, image)
        : profileImageCommand(ctx, imagesView, image);
    },
    { executes: 'Profiling' },
  );
  registerImageActions(ctx, imagesView);
  ctx.register('runtimes.refresh', async () => catalogToJson(await runtimesView.refresh()));
  ctx.register(
    'module.run',
    (uri?: vscode.Uri, options?: RunModuleOptions) => runModuleCommand(ctx, uri, options),
    { executes: 'Running a Wasm module' },
  );
  // an argument { runtime } answers the question (a keybinding's args), remembered as a pick is
  ctx.register(
    'module.runWith',
    (uri?: vscode.Uri, options?: { runtime?: string }) =>
      runModuleCommand(ctx, uri, { ask: true, runtime: options?.runtime }),
    { executes: 'Running a Wasm module' },
  );
  ctx.register('native.run', (uri?: vscode.Uri) => runNativeCommand(ctx, uri), {
    executes: 'Running the native counterpart',
  });
  ctx.register('profile.run', (uri?: vscode.Uri) => profileModuleCommand(ctx, uri), {
    executes: 'Profiling',
  });
  ctx.register(
    'profile.runAcrossRuntimes',
    (uri?: vscode.Uri) => profileModuleCommand(ctx, uri, 'all'),
    { executes: 'Profiling' },
  );
  ctx.register('profile.runSpec', (uri?: vscode.Uri) => profileSpecCommand(ctx, uri), {
    executes: 'Profiling',
  });
  ctx.register('profile.showPanel', () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const panel = ProfilePanel.open(context, log, folder ? runsDirectory(folder) : undefined);
    panel.show();
    return panel.shown;
  });
  ctx.keep(ProfilePanel.register(context, log));
  registerRunsView(ctx);
  ctx.keep(registerReadonlyDocuments());
  ctx.register('profile.createSpec', (uri?: vscode.Uri) => createSpecCommand(uri));
  ctx.register('log.show', () => log.show());
  const inspector = WasmInspectorProvider.register(context, log);
  ctx.keep(inspector.disposable);
  ctx.register('module.inspect', (uri?: vscode.Uri) =>
    inspectModuleCommand(inspector.provider, uri, pickWasmFile),
  );
  ctx.register('project.new', (options?: NewProjectOptions) => newProjectCommand(ctx, options));
  ctx.register('wat.compile', (uri?: vscode.Uri) => compileWatCommand(ctx, uri));
  ctx.keep(registerBuildTasks(log));
  startLanguageClientWhenNeeded(context, log);
  const activation: ActivationTimes = {
    ...(loadStart !== undefined && typeof __wcLoadEnd === 'number'
      ? { loadMs: __wcLoadEnd - loadStart, hostMs: activateStart - __wcLoadEnd }
      : {}),
    activateMs: performance.now() - activateStart,
  };
  log.info(activationLine(activation));
  return {
    activation,
    runtimeDetections: () => runtimesView.detections,
    runtimesViewRows: () => rowsOf(runtimesView),
    imagesViewRefreshes: () => imagesView.refreshes,
    imagesViewRows: () => imageRowsOf(imagesView),
  };
}

/** The extension host is going away: remove every container still running for us. */
export async function deactivate(): Promise<void> {
  await removeLiveContainers();
}
