import path from 'node:path';
import * as vscode from 'vscode';
import {
  buildCapabilities,
  buildImage,
  type BuildCapabilities,
  type Builder,
} from '../../core/engines/docker/build';
import { inspectEngine } from '../../core/engines/docker/engine';
import { buildLocalWasmImage, localImagesDir, type LocalImage } from '../../core/oci/local-images';
import { isDockerfileName } from '../../core/dockerfile/entrypoint';
import { formatBytes } from '../../core/format';
import { pickWasmFile } from './pick-wasm';
import { dockerHostOf, explainDockerError } from '../../core/engines/docker/client';
import { isCancelled } from '../../core/process/errors';
import { detectRuntimes, type Catalog } from '../../core/runtimes/runtime-catalog';
import { profileTarget } from '../../core/profile/targets';
import type { CommandContext, CommandRefusal } from '../command-context';
import { readConfig } from '../config';
import type { ImageItem, ImagesView } from '../images-view';
import { runInTerminal } from '../run-terminal';
import { refusePicked, runtimePickItems, unavailableError } from '../runtime-choice';
import type { RunModuleResult } from './run-module';
import { profileWithProgress, type ProfileCommandResult } from './profile-progress';
import { folderImageTag } from '../../core/image-tags';

/** The image a command acts on: the view's item, a tag given by a test or the palette's pick. */
async function pickImage(view: ImagesView, arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const item = (arg as { image?: ImageItem } | undefined)?.image;
  if (item) return item.tag;
  const images = await view.list();
  if (images.length === 0) {
    void vscode.window.showInformationMessage(
      'No image built by Wasm Containers yet: right-click Dockerfile.native → Build Native Counterpart.',
    );
    return undefined;
  }
  return (
    await vscode.window.showQuickPick(
      images.map((i) => ({ label: i.tag, description: i.id.slice(7, 19) })),
      { title: 'Which image?' },
    )
  )?.label;
}

/** The container runtimes, with the engines they belong to (whose hints an unavailable one has). */
async function containerRuntimes(): Promise<Catalog> {
  const config = readConfig();
  const catalog = await detectRuntimes({
    nodePath: config.nodePath,
    paths: config.runtimePaths,
    dockerHost: config.dockerHost,
  });
  return { ...catalog, runtimes: catalog.runtimes.filter((r) => r.kind === 'container') };
}

/** The engine's build capabilities, or "no engine" with the reason (never throws). */
export async function engineBuildCapabilities(view: ImagesView): Promise<BuildCapabilities> {
  const host = dockerHostOf(readConfig().dockerHost);
  return buildCapabilities(await inspectEngine(view.docker(), host.startsWith('unix://')));
}

/** A build through the engine under cancellable progress, its output in the log and the notification. */
function engineBuildWithProgress(
  ctx: CommandContext,
  view: ImagesView,
  title: string,
  options: Omit<Parameters<typeof buildImage>[1], 'signal' | 'onOutput'>,
): Promise<string> {
  return ctx.withProgress(title, (report, signal) =>
    buildImage(view.docker(), {
      ...options,
      signal,
      onOutput: (line) => {
        ctx.log.info(line);
        report(line.slice(0, 80));
      },
    }),
  );
}

/** "Build Native Counterpart": the image of a Dockerfile through the engine (BuildKit where it has it; never pulls). */
export async function buildNativeCommand(
  ctx: CommandContext,
  view: ImagesView,
  uri?: vscode.Uri,
): Promise<
  { status: 'built'; tag: string; builder: Builder } | { status: 'no-file' } | CommandRefusal
> {
  const { log } = ctx;
  const file = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!file) return { status: 'no-file' };
  const dir = path.dirname(file.fsPath);
  const tag = folderImageTag(dir, 'native');
  const { builder } = await engineBuildCapabilities(view);
  log.info(`building ${tag} from ${file.fsPath} with ${builder}`);
  try {
    await engineBuildWithProgress(
      ctx,
      view,
      `Building ${tag} (${builder === 'buildkit' ? 'BuildKit' : 'classic builder'})`,
      {
        context: dir,
        dockerfile: path.basename(file.fsPath),
        tag,
        builder,
        platform: 'linux/amd64',
      },
    );
  } catch (e) {
    // an engine's own words (ENOENT on the socket…) become what to do about it
    const said = e instanceof Error && /docker|engine/.test(e.message);
    return ctx.fail(`Building ${tag}`, said || isCancelled(e) ? e : explainDockerError(e));
  }
  view.refresh();
  log.info(`built ${tag}`);
  void vscode.window.showInformationMessage(
    `Built the native counterpart ${tag} (${builder === 'buildkit' ? 'BuildKit' : 'classic builder'}): it is in the Images view.`,
  );
  return { status: 'built', tag, builder };
}

export type BuildWasmResult =
  | {
      status: 'built';
      builder: 'daemonless' | 'buildkit';
      image?: LocalImage;
      tag?: string;
      /** Why the engine did not build it (the daemonless build did). */
      engineReason?: string;
    }
  | { status: 'no-file' }
  | CommandRefusal;

/**
 * "Build Wasm Image": from a FROM scratch Dockerfile or a bare module. Through BuildKit with
 * --platform wasi/wasm where the engine can keep such images; daemonless everywhere else (the
 * reason is logged in one sentence), into .wasm-containers/images/ as an oci-archive.
 */
export async function buildWasmCommand(
  ctx: CommandContext,
  view: ImagesView,
  uri?: vscode.Uri,
): Promise<BuildWasmResult> {
  const { log } = ctx;
  const file =
    uri instanceof vscode.Uri
      ? uri
      : (vscode.window.activeTextEditor?.document.uri ??
        (await pickWasmFile(undefined, 'Build Wasm Image')));
  if (!file) return { status: 'no-file' };
  const source = file.fsPath;
  const dockerfile = isDockerfileName(source);
  if (!dockerfile && !source.endsWith('.wasm')) {
    void vscode.window.showWarningMessage(
      `Build Wasm Image takes a Dockerfile or a .wasm module, not ${path.basename(source)}.`,
    );
    return { status: 'no-file' };
  }
  const caps = await engineBuildCapabilities(view);
  if (dockerfile && caps.canBuildWasm) {
    const tag = folderImageTag(path.dirname(source));
    await engineBuildWithProgress(ctx, view, `Building ${tag} (BuildKit, wasi/wasm)`, {
      context: path.dirname(source),
      dockerfile: path.basename(source),
      tag,
      builder: 'buildkit',
      platform: 'wasi/wasm',
    });
    view.refresh();
    void vscode.window.showInformationMessage(`Built ${tag} (BuildKit, wasi/wasm).`);
    return { status: 'built', builder: 'buildkit', tag };
  }
  if (caps.wasmReason) log.info(`${caps.wasmReason} Building daemonless.`);
  const workspace = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(source);
  const image = await ctx.withProgress(
    `Building the Wasm image of ${path.basename(source)} (daemonless)`,
    (_report, signal) =>
      buildLocalWasmImage(source, localImagesDir(workspace), { worker: true, signal }),
  );
  log.info(
    `built ${image.platform} image ${image.name} daemonless in ${image.buildMs.toFixed(0)} ms: ${image.manifestDigest}, ${formatBytes(image.sizes.compressed)} compressed, ${formatBytes(image.sizes.uncompressed)} unpacked, module ${formatBytes(image.sizes.modules)} → ${image.archive}`,
  );
  view.refresh();
  void vscode.window.showInformationMessage(
    `Built ${image.platform} image ${image.name}: ${formatBytes(image.sizes.compressed)} compressed (${image.manifestDigest.slice(0, 19)}…), written to ${vscode.workspace.asRelativePath(image.archive)}.`,
  );
  return { status: 'built', builder: 'daemonless', image, engineReason: caps.wasmReason };
}

/** "Run Image": the image as a container under a chosen OCI runtime (or Wasm shim), output in a terminal. */
export async function runImageCommand(
  ctx: CommandContext,
  view: ImagesView,
  arg?: unknown,
  options: { runtime?: string } = {},
): Promise<RunModuleResult> {
  const image = await pickImage(view, arg);
  if (!image) return { status: 'no-file' };
  const catalog = await containerRuntimes();
  const { runtimes } = catalog;
  let runtime = options.runtime ? runtimes.find((r) => r.id === options.runtime) : undefined;
  if (options.runtime && !runtime)
    throw new Error(`Unknown container runtime '${options.runtime}'.`);
  if (runtime && !runtime.available) throw unavailableError(runtime, catalog);
  if (!runtime) {
    const picked = await vscode.window.showQuickPick(runtimePickItems(catalog, runtimes), {
      title: `Run ${image} under which runtime?`,
      matchOnDetail: true,
    });
    if (!picked) return { status: 'cancelled' };
    if (!picked.runtime.available) {
      refusePicked(picked.runtime, catalog);
      return { status: 'failed', message: picked.runtime.reason };
    }
    runtime = picked.runtime;
  }
  const { terminal, done } = runInTerminal(
    `Image: ${image} (${runtime.id})`,
    runtime.adapter,
    { artifact: image, timeoutMs: readConfig().runTimeoutMs },
    ctx.log,
  );
  terminal.show(true);
  const outcome = await done;
  return outcome ? { status: 'finished', outcome } : { status: 'failed' };
}

/** "Profile Across Runtimes": the image under every available OCI runtime (runc, crun, runsc, …), side by side. */
export async function profileImageCommand(
  ctx: CommandContext,
  view: ImagesView,
  arg?: unknown,
): Promise<ProfileCommandResult> {
  const image = await pickImage(view, arg);
  if (!image) return { status: 'no-file' };
  const config = readConfig();
  const available = (await containerRuntimes()).runtimes.filter(
    (r) => r.available && r.runs === 'native',
  );
  // only the engines that hold the image (Docker's store and Podman's are separate)
  const holds = await Promise.all(
    available.map((r) =>
      r.adapter.artifactSize({ artifact: image }).then(
        () => true,
        () => false,
      ),
    ),
  );
  const runtimes = available.filter((_, i) => holds[i]);
  if (runtimes.length === 0)
    throw new Error(
      available.length === 0
        ? 'No container runtime is available: start a Docker engine (see the Runtimes view for why).'
        : `No engine with an available runtime holds ${image}: build it there first (Build Native Counterpart).`,
    );
  const targets = runtimes.map((r) => profileTarget(r.adapter, { artifact: image }));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return profileWithProgress(ctx, `${image} across runtimes`, folder, targets, {
    runs: config.profileRuns,
    warmup: config.profileWarmup,
    timeoutMs: config.runTimeoutMs,
    reference: targets.find((t) => t.runtime.id.endsWith('-runc'))?.id,
    source: image,
  });
}
