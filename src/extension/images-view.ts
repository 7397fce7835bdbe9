import type Docker from 'dockerode';
import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import {
  createDockerClient,
  dockerHostOf,
  explainDockerError,
} from '../core/engines/docker/client';
import { engineHints, type Hint } from '../core/hints';
import { MANAGED_LABEL } from '../core/engines/labels';
import { readConfig } from './config';
import { hintActions, hintMarkdown } from './hints';
import { settingsTooltip } from './command-context';
import { listLocalImages, localImagesDir, type LocalImage } from '../core/oci/local-images';

export interface ImageItem {
  id: string;
  tag: string;
  sizeBytes: number;
  created: number;
}

type Node = { image: ImageItem } | { local: LocalImage } | { message: string; hints?: Hint[] };

/**
 * The Images view: images the tool built, with their sizes — in the engine (labelled as ours) and
 * daemonless (.wasm-containers/images/ of each workspace folder).
 */
export class ImagesView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  docker(): Docker {
    return createDockerClient({ host: readConfig().dockerHost });
  }

  async list(): Promise<ImageItem[]> {
    const images = await this.docker().listImages({
      filters: { label: [`${MANAGED_LABEL}=true`] },
    });
    return images
      .flatMap((i) =>
        (i.RepoTags ?? [])
          .filter((t) => t !== '<none>:<none>')
          .map((tag) => ({ id: i.Id, tag, sizeBytes: i.Size, created: i.Created })),
      )
      .sort((a, b) => b.created - a.created);
  }

  /** How many times the view was asked to refresh (the extension's API reports it to tests). */
  refreshes = 0;

  refresh(): void {
    this.refreshes++;
    this.changed.fire();
  }

  /** Daemonless images kept in the workspace folders. */
  localImages(): LocalImage[] {
    return (vscode.workspace.workspaceFolders ?? []).flatMap((f) =>
      listLocalImages(localImagesDir(f.uri.fsPath)),
    );
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return [];
    const local: Node[] = this.localImages().map((l) => ({ local: l }));
    let engine: Node[];
    try {
      engine = (await this.list()).map((image) => ({ image }));
    } catch (e) {
      this.log.warn(`images: ${explainDockerError(e)}`);
      const hints = engineHints('docker', false, dockerHostOf(readConfig().dockerHost));
      engine = [{ message: explainDockerError(e), hints }];
    }
    const all = [...engine, ...local];
    return all.length > 0
      ? all
      : [
          {
            message:
              'No image built yet: right-click a Dockerfile or a .wasm → Build Wasm Image, or Dockerfile.native → Build Native Counterpart.',
          },
        ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('message' in node) {
      const item = new vscode.TreeItem(node.message);
      item.iconPath = new vscode.ThemeIcon('info');
      const hints = node.hints ?? [];
      if (hints.length > 0) {
        // the tooltip's link and a click on the row open the setting the hints name
        item.tooltip = settingsTooltip([node.message, ...hintMarkdown(hints, node.message)]);
        [item.command] = hintActions(hints);
      }
      return item;
    }
    if ('local' in node) {
      const l = node.local;
      const item = new vscode.TreeItem(`${l.name} (${l.platform})`);
      item.description = `${formatBytes(l.sizes.compressed)} · daemonless`;
      item.tooltip = `${l.platform}${l.artifact ? ' Wasm OCI artifact' : ''} image of ${l.source}\n${l.manifestDigest}\n${formatBytes(l.sizes.compressed)} compressed, ${formatBytes(l.sizes.uncompressed)} unpacked, module ${formatBytes(l.sizes.modules)}\n${l.archive}\nbuilt ${new Date(l.builtAt).toLocaleString()} in ${l.buildMs.toFixed(0)} ms`;
      item.iconPath = new vscode.ThemeIcon('file-binary');
      item.contextValue = 'wasmContainers.localImage';
      item.resourceUri = vscode.Uri.file(l.archive);
      return item;
    }
    const item = new vscode.TreeItem(node.image.tag);
    item.description = formatBytes(node.image.sizeBytes);
    item.tooltip = `${node.image.tag}\n${node.image.id}\n${formatBytes(node.image.sizeBytes)}, built ${new Date(node.image.created * 1000).toLocaleString()}`;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'wasmContainers.image';
    return item;
  }
}
