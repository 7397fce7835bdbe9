import path from 'node:path';
import * as vscode from 'vscode';
import { buildImage } from '../../core/runtimes/docker-build';
import { explainDockerError } from '../../core/runtimes/docker-client';
import { detectRuntimes, type RuntimeStatus } from '../../core/runtimes/runtime-catalog';
import { errorMessage } from '../../core/process/errors';
import type { ProfileTarget } from '../../core/profile/profiler';
import { readConfig } from '../config';
import type { ImageItem, ImagesView } from '../images-view';
import { runInTerminal } from '../run-terminal';
import { ensureTrusted } from '../trust';
import type { RunModuleResult } from './run-module';
import { profileWithProgress, type ProfileCommandResult } from './profile-progress';

/** The image a command acts on: the view's item, a tag given by a test or the palette's pick. */
async function pickImage(view: ImagesView, arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const item = (arg as { image?: ImageItem } | undefined)?.image;
  if (item) return item.tag;
  const images = await view.list();
  if (images.length === 0) {
    void vscode.window.showInformationMessage('No image built by Wasm Containers yet: right-click Dockerfile.native → Build Native Counterpart.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(images.map((i) => ({ label: i.tag, description: i.id.slice(7, 19) })), { title: 'Which image?' }))?.label;
}

async function containerRuntimes(): Promise<RuntimeStatus[]> {
  const config = readConfig();
  return (await detectRuntimes({ nodePath: config.nodePath, paths: config.runtimePaths, dockerHost: config.dockerHost })).runtimes.filter((r) => r.kind === 'container');
}

/** "Build Native Counterpart": the image of a Dockerfile through the engine (classic builder; never pulls). */
export async function buildNativeCommand(log: vscode.LogOutputChannel, view: ImagesView, uri?: vscode.Uri): Promise<{ status: 'built' | 'failed' | 'untrusted' | 'no-file'; tag?: string; message?: string }> {
  if (!ensureTrusted('Building an image', log)) return { status: 'untrusted' };
  const file = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!file) return { status: 'no-file' };
  const dir = path.dirname(file.fsPath);
  const tag = `wasm-containers/${path.basename(dir).toLowerCase().replace(/[^a-z0-9._-]/g, '-')}-native:latest`;
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Building ${tag}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      await buildImage(view.docker(), { context: dir, dockerfile: path.basename(file.fsPath), tag, signal: controller.signal, onOutput: (line) => { log.info(line); progress.report({ message: line.slice(0, 80) }); } });
    });
    view.refresh();
    log.info(`built ${tag}`);
    return { status: 'built', tag };
  } catch (e) {
    const message = errorMessage(e).includes('docker') || errorMessage(e).includes('engine') ? errorMessage(e) : explainDockerError(e);
    void vscode.window.showErrorMessage(`Building ${tag} failed: ${message}`);
    return { status: 'failed', message };
  }
}

/** "Run Image": the image as a container under a chosen OCI runtime (or Wasm shim), output in a terminal. */
export async function runImageCommand(log: vscode.LogOutputChannel, view: ImagesView, arg?: unknown, options: { runtime?: string } = {}): Promise<RunModuleResult> {
  if (!ensureTrusted('Running an image', log)) return { status: 'untrusted' };
  const image = await pickImage(view, arg);
  if (!image) return { status: 'no-file' };
  const runtimes = await containerRuntimes();
  let runtime = options.runtime ? runtimes.find((r) => r.id === options.runtime) : undefined;
  if (options.runtime && (!runtime || !runtime.available)) {
    const message = runtime ? `${runtime.displayName} is not available: ${runtime.reason}` : `Unknown container runtime '${options.runtime}'.`;
    void vscode.window.showErrorMessage(message);
    return { status: 'failed', message };
  }
  if (!runtime) {
    const picked = await vscode.window.showQuickPick(runtimes.map((r) => ({ label: r.displayName, description: r.available ? r.version : 'not available', detail: r.available ? undefined : r.reason, r })), { title: `Run ${image} under which runtime?`, matchOnDetail: true });
    if (!picked) return { status: 'cancelled' };
    if (!picked.r.available) {
      void vscode.window.showWarningMessage(`${picked.r.displayName} is not available: ${picked.r.reason}`);
      return { status: 'failed', message: picked.r.reason };
    }
    runtime = picked.r;
  }
  const { terminal, done } = runInTerminal(`Image: ${image} (${runtime.id})`, runtime.adapter, { artifact: image, timeoutMs: readConfig().runTimeoutMs }, log);
  terminal.show(true);
  const outcome = await done;
  return outcome ? { status: 'finished', outcome } : { status: 'failed' };
}

/** "Profile Across Runtimes": the image under every available OCI runtime (runc, crun, runsc, …), side by side. */
export async function profileImageCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, view: ImagesView, arg?: unknown): Promise<ProfileCommandResult> {
  if (!ensureTrusted('Profiling', log)) return { status: 'untrusted' };
  const image = await pickImage(view, arg);
  if (!image) return { status: 'no-file' };
  const config = readConfig();
  const runtimes = (await containerRuntimes()).filter((r) => r.available && r.runs === 'native');
  if (runtimes.length === 0) {
    const message = 'No container runtime is available: start a Docker engine (see the Runtimes view for why).';
    void vscode.window.showErrorMessage(message);
    return { status: 'error', message };
  }
  const targets: ProfileTarget[] = runtimes.map((r) => ({ id: r.id, label: `${image} · ${r.id.replace(/^(docker|podman)-/, '')}`, runtime: r.adapter, spec: { artifact: image } }));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return profileWithProgress(context, log, `${image} across runtimes`, folder, targets, {
    runs: config.profileRuns, warmup: config.profileWarmup, timeoutMs: config.runTimeoutMs, reference: targets.find((t) => t.id.endsWith('-runc'))?.id,
  });
}
