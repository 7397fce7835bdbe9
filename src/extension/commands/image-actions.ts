import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { explainDockerError } from '../../core/engines/docker/client';
import { formatBytes } from '../../core/format';
import { moduleOfImage, readOciArchive } from '../../core/oci/archive-read';
import type { LocalImage } from '../../core/oci/local-images';
import { credentialsFromEnv, parseReference, pushImages } from '../../core/oci/registry-push';
import type { CommandContext } from '../command-context';
import { readConfig } from '../config';
import type { ImageItem, ImagesView } from '../images-view';
import { showReadonly } from '../readonly-documents';
import { runInTerminal } from '../run-terminal';
import { chooseRuntime } from '../runtime-choice';
import { engineBuildCapabilities } from './image-commands';
import { profileModuleCommand } from './profile-module';
import type { RunModuleResult } from './run-module';

/**
 * What the Images view offers on its items: daemonless images (an oci-archive in the workspace)
 * get Run, Profile, Load into Engine, Push, Reveal and Delete; engine images Remove, Inspect, Push.
 */

const localOf = (arg: unknown): LocalImage | undefined =>
  (arg as { local?: LocalImage } | undefined)?.local;
const engineOf = (arg: unknown): ImageItem | undefined =>
  (arg as { image?: ImageItem } | undefined)?.image;

/** The daemonless image of the view's item, or one picked from the workspace's. */
async function pickLocal(view: ImagesView, arg: unknown): Promise<LocalImage | undefined> {
  const given = localOf(arg);
  if (given) return given;
  const images = view.localImages();
  if (images.length === 0) {
    void vscode.window.showInformationMessage(
      'No daemonless image yet: right-click a Dockerfile or a .wasm → Wasm Containers → Build Wasm Image.',
    );
    return undefined;
  }
  return (
    await vscode.window.showQuickPick(
      images.map((image) => ({
        label: image.name,
        description: `${image.platform} · ${formatBytes(image.sizes.compressed)}`,
        image,
      })),
      { title: 'Which image?' },
    )
  )?.image;
}

/**
 * Runs a daemonless image's module (its entrypoint, read from the archive) under a Wasm runtime:
 * the workspace's runtime choice, as Run as Wasm Container does.
 */
export async function runLocalImageCommand(
  ctx: CommandContext,
  view: ImagesView,
  arg?: unknown,
  options: { runtime?: string; ask?: boolean } = {},
): Promise<RunModuleResult> {
  const image = await pickLocal(view, arg);
  if (!image) return { status: 'no-file' };
  const [first] = readOciArchive(image.archive);
  const module = first ? moduleOfImage(first) : { reason: 'the archive holds no image' };
  if ('reason' in module) throw new Error(`${image.name} cannot run: ${module.reason}.`);
  // the module as the image holds it, beside the archive (a runtime takes a file)
  const dir = path.join(path.dirname(image.archive), `${image.name}.rootfs`);
  const file = path.join(dir, path.basename(module.path));
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, module.data);
  const runtime = await chooseRuntime(ctx.workspaceState, vscode.Uri.file(image.archive), {
    requested: options.runtime,
    ask: options.ask,
  });
  if (!runtime) return { status: 'cancelled' };
  const { terminal, done } = runInTerminal(
    `Image: ${image.name} (${runtime.id})`,
    runtime.adapter,
    { artifact: file, args: module.args, cwd: dir, timeoutMs: readConfig().runTimeoutMs },
    ctx.log,
  );
  terminal.show(true);
  const outcome = await done;
  return outcome ? { status: 'finished', outcome } : { status: 'failed' };
}

/** Profiles what the daemonless image was built from (its Dockerfile or module) against native. */
export async function profileLocalImageCommand(
  ctx: CommandContext,
  view: ImagesView,
  arg?: unknown,
) {
  const image = await pickLocal(view, arg);
  if (!image) return { status: 'no-file' as const };
  return profileModuleCommand(ctx, vscode.Uri.file(image.source));
}

/** Loads the archive into the engine where the engine keeps Wasm images; else says why not. */
export async function loadLocalImageCommand(ctx: CommandContext, view: ImagesView, arg?: unknown) {
  const image = await pickLocal(view, arg);
  if (!image) return { status: 'no-file' as const };
  const caps = await engineBuildCapabilities(view);
  if (!caps.canBuildWasm) {
    const message = `${image.name} cannot be loaded into the engine: ${caps.wasmReason ?? 'the engine keeps no Wasm images'}. The daemonless image still runs (Run) and pushes (Push).`;
    void vscode.window.showWarningMessage(message);
    return { status: 'refused' as const, message };
  }
  await ctx.withProgress(`Loading ${image.name} into the engine`, async () => {
    const stream = await view.docker().loadImage(createReadStream(image.archive));
    await new Promise<void>((resolve, reject) =>
      view.docker().modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())),
    );
  });
  view.refresh();
  void vscode.window.showInformationMessage(`Loaded ${image.name} into the engine.`);
  return { status: 'loaded' as const };
}

async function askReference(name: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Push ${name} to`,
    prompt:
      'REGISTRY/REPOSITORY[:TAG]. Credentials come from WASM_CONTAINERS_REGISTRY_USER/PASSWORD.',
    value: `localhost:5000/${name.replace(/^.*\//, '').replace(/:.*$/, '')}:latest`,
    validateInput: (text) => {
      try {
        parseReference(text);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
}

/** Pushes a daemonless image from its archive with the registry API (no engine needed). */
export async function pushLocalImageCommand(ctx: CommandContext, view: ImagesView, arg?: unknown) {
  const image = await pickLocal(view, arg);
  if (!image) return { status: 'no-file' as const };
  const reference = await askReference(image.name);
  if (!reference) return { status: 'cancelled' as const };
  const result = await ctx.withProgress(`Pushing ${image.name} to ${reference}`, (report, signal) =>
    pushImages(readOciArchive(image.archive), reference, {
      signal,
      credentials: credentialsFromEnv(),
      onProgress: (m) => {
        ctx.log.info(m);
        report(m);
      },
    }),
  );
  ctx.log.info(`pushed ${result.reference} → ${result.digest}`);
  void vscode.window.showInformationMessage(
    `Pushed ${result.reference} (${result.digest.slice(0, 19)}…): ${result.uploaded} blob(s) uploaded, ${result.skipped} already there.`,
  );
  return { status: 'pushed' as const, ...result };
}

export async function revealLocalImageCommand(view: ImagesView, arg?: unknown) {
  const image = await pickLocal(view, arg);
  if (!image) return;
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(image.archive));
}

export async function deleteLocalImageCommand(
  ctx: CommandContext,
  view: ImagesView,
  arg?: unknown,
) {
  const image = await pickLocal(view, arg);
  if (!image) return { status: 'no-file' as const };
  const answer = await vscode.window.showWarningMessage(
    `Delete the image ${image.name}? Its archive ${vscode.workspace.asRelativePath(image.archive)} is removed.`,
    { modal: true },
    'Delete',
  );
  if (answer !== 'Delete') return { status: 'cancelled' as const };
  const dir = path.dirname(image.archive);
  for (const f of [
    image.archive,
    path.join(dir, `${image.name}.json`),
    path.join(dir, `${image.name}.rootfs`),
  ])
    rmSync(f, { recursive: true, force: true });
  ctx.log.info(`deleted the image ${image.name} (${image.archive})`);
  view.refresh();
  return { status: 'deleted' as const };
}

/** Removes an engine image (never forced: an image a container uses stays, and the engine says why). */
export async function removeEngineImageCommand(
  ctx: CommandContext,
  view: ImagesView,
  arg?: unknown,
) {
  const image = engineOf(arg);
  if (!image) return { status: 'no-file' as const };
  const answer = await vscode.window.showWarningMessage(
    `Remove ${image.tag} from the engine?`,
    { modal: true },
    'Remove',
  );
  if (answer !== 'Remove') return { status: 'cancelled' as const };
  try {
    await view.docker().getImage(image.tag).remove();
  } catch (e) {
    return ctx.fail(`Removing ${image.tag}`, new Error(explainDockerError(e)));
  }
  ctx.log.info(`removed ${image.tag}`);
  view.refresh();
  void vscode.window.showInformationMessage(`Removed ${image.tag}.`);
  return { status: 'removed' as const };
}

/** The engine's inspection of an image, as a read-only JSON document. */
export async function inspectEngineImageCommand(view: ImagesView, arg?: unknown) {
  const image = engineOf(arg);
  if (!image) return;
  const info = await view.docker().getImage(image.tag).inspect();
  await showReadonly(
    `${image.tag.replace(/[/:]/g, '_')}.inspect.json`,
    JSON.stringify(info, null, 2),
  );
}

/** Tags an engine image as the reference asked for and pushes it through the engine. */
export async function pushEngineImageCommand(ctx: CommandContext, view: ImagesView, arg?: unknown) {
  const image = engineOf(arg);
  if (!image) return { status: 'no-file' as const };
  const reference = await askReference(image.tag);
  if (!reference) return { status: 'cancelled' as const };
  const ref = parseReference(reference);
  const repo = `${ref.registry}/${ref.repository}`;
  const docker = view.docker();
  await docker.getImage(image.tag).tag({ repo, tag: ref.tag });
  const credentials = credentialsFromEnv();
  await ctx.withProgress(`Pushing ${repo}:${ref.tag}`, async (report) => {
    const stream = await docker.getImage(`${repo}:${ref.tag}`).push({
      authconfig: credentials
        ? { ...credentials, serveraddress: ref.registry }
        : { serveraddress: ref.registry },
    });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (e: Error | null, output: Array<{ error?: string }>) => {
          const failed = e ?? output.find((o) => o.error)?.error;
          if (failed) reject(failed instanceof Error ? failed : new Error(failed));
          else resolve();
        },
        (event: { status?: string; id?: string }) =>
          report(`${event.id ? `${event.id}: ` : ''}${event.status ?? ''}`.slice(0, 80)),
      ),
    );
  });
  void vscode.window.showInformationMessage(`Pushed ${repo}:${ref.tag}.`);
  return { status: 'pushed' as const, reference: `${repo}:${ref.tag}` };
}

export const isLocalImage = (arg: unknown): boolean => localOf(arg) !== undefined;

/** The palette's pick among every image: the engine's (by tag) and the daemonless ones. */
export async function pickAnyImage(view: ImagesView): Promise<unknown> {
  const engine = await view.list().catch(() => [] as ImageItem[]);
  const items = [
    ...engine.map((image) => ({
      label: image.tag,
      description: `engine · ${formatBytes(image.sizeBytes)}`,
      value: image.tag,
    })),
    ...view.localImages().map((local) => ({
      label: local.name,
      description: `daemonless ${local.platform} · ${formatBytes(local.sizes.compressed)}`,
      value: { local },
    })),
  ];
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      'No image built yet: right-click a Dockerfile or a .wasm → Wasm Containers → Build Wasm Image.',
    );
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Which image?' }))?.value;
}

/** The Images view's item commands. */
export function registerImageActions(ctx: CommandContext, view: ImagesView): void {
  ctx.register(
    'image.profileAgainstNative',
    (arg?: unknown) => profileLocalImageCommand(ctx, view, arg),
    { executes: 'Profiling' },
  );
  ctx.register('image.load', (arg?: unknown) => loadLocalImageCommand(ctx, view, arg));
  ctx.register('image.push', (arg?: unknown): Promise<{ status: string }> =>
    engineOf(arg) ? pushEngineImageCommand(ctx, view, arg) : pushLocalImageCommand(ctx, view, arg),
  );
  ctx.register('image.reveal', (arg?: unknown) => revealLocalImageCommand(view, arg));
  ctx.register('image.delete', (arg?: unknown) => deleteLocalImageCommand(ctx, view, arg));
  ctx.register('image.remove', (arg?: unknown) => removeEngineImageCommand(ctx, view, arg));
  ctx.register('image.inspect', (arg?: unknown) => inspectEngineImageCommand(view, arg));
}
