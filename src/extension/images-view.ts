import type Docker from 'dockerode';
import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import { createDockerClient, explainDockerError } from '../core/runtimes/docker-client';
import { MANAGED_LABEL } from '../core/runtimes/docker-labels';
import { readConfig } from './config';

export interface ImageItem {
  id: string;
  tag: string;
  sizeBytes: number;
  created: number;
}

type Node = { image: ImageItem } | { message: string };

/** The Images view: images the tool built (labelled as ours) in the engine, with their sizes. */
export class ImagesView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  docker(): Docker {
    return createDockerClient({ host: readConfig().dockerHost });
  }

  async list(): Promise<ImageItem[]> {
    const images = await this.docker().listImages({ filters: { label: [`${MANAGED_LABEL}=true`] } });
    return images
      .flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((tag) => ({ id: i.Id, tag, sizeBytes: i.Size, created: i.Created })))
      .sort((a, b) => b.created - a.created);
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return [];
    try {
      const images = await this.list();
      return images.length > 0 ? images.map((image) => ({ image })) : [{ message: 'No image built yet: right-click Dockerfile.native → Build Native Counterpart.' }];
    } catch (e) {
      this.log.warn(`images: ${explainDockerError(e)}`);
      return [{ message: explainDockerError(e) }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('message' in node) {
      const item = new vscode.TreeItem(node.message);
      item.iconPath = new vscode.ThemeIcon('info');
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
