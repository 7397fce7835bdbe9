/**
 * The OCI documents this tool writes and reads back (image-spec v1.1): one typed shape per
 * document, so that writer and readers (the registry push, the tests) agree on it.
 */
import type { Platform } from './image';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** application/vnd.oci.image.config.v1+json */
export interface ImageConfig {
  created: string;
  architecture: string;
  os: string;
  config: {
    Entrypoint?: string[];
    Cmd?: string[];
    Env?: string[];
    WorkingDir?: string;
    Labels?: Record<string, string>;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history: Array<{ created: string; created_by: string }>;
}

/** application/vnd.wasm.config.v0+json (the CNCF Wasm OCI artifact) */
export interface WasmArtifactConfig {
  created: string;
  architecture: 'wasm';
  os: string;
  layerDigests: string[];
}

/** The oci-layout file at the root of an image layout. */
export interface OciLayoutFile {
  imageLayoutVersion: '1.0.0';
}

/** docker-archive's manifest.json (docker save / docker load). */
export type DockerArchiveManifest = Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;

export type OciDocument =
  | ImageIndex
  | ImageManifest
  | ImageConfig
  | WasmArtifactConfig
  | OciLayoutFile
  | DockerArchiveManifest;

/** A document as the bytes that are digested and stored. */
export const documentBytes = (doc: OciDocument): Buffer => Buffer.from(JSON.stringify(doc));

/**
 * A document read back from bytes this tool (or a registry it pushed to) wrote. The caller names
 * the kind; the shape is not re-validated (the digest already ties the bytes to what was written).
 */
export const readDocument = <T extends OciDocument>(data: Buffer | string): T =>
  JSON.parse(data.toString()) as T;
