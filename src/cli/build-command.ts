import path from 'node:path';
import { formatBytes } from '../core/format';
import { specFromDockerfile, specFromSource } from '../core/oci/from-sources';
import { buildOciImage, type BuiltImage } from '../core/oci/image';
import { parseOutput, writeOutput } from '../core/oci/outputs';
import { credentialsFromEnv, pushImages, type PushResult } from '../core/oci/registry-push';
import { folderImageTag } from '../core/image-tags';

export interface BuildArgs {
  command: 'build';
  source: string;
  platform?: string;
  artifact: boolean;
  native?: string;
  output?: string;
  push?: string;
  tag?: string;
  compressionLevel?: number;
  json: boolean;
}

/** What `build --json` prints. */
export interface BuildReport {
  output?: string;
  tag: string;
  buildMs: number;
  images: ImageSummary[];
  pushed?: PushResult;
}

export type ImageSummary = ReturnType<typeof summary>;

function summary(img: BuiltImage) {
  return {
    platform: `${img.platform.os}/${img.platform.architecture}`,
    artifact: img.artifact,
    manifestDigest: img.manifest.digest,
    configDigest: img.config.digest,
    layers: img.layers.map((l) => ({
      digest: l.digest,
      mediaType: l.mediaType,
      size: l.data.length,
    })),
    sizes: img.sizes,
  };
}

/**
 * wasm-containers build: a wasi/wasm image (and optionally its native twin) written without any
 * daemon. With --push the registry comes first: a push that fails leaves no local output either.
 */
export async function buildCommand(opts: BuildArgs, signal?: AbortSignal): Promise<number> {
  const output = opts.output ? parseOutput(opts.output) : undefined;
  const t0 = performance.now();
  const spec = specFromSource(opts.source, { platform: opts.platform });
  const images = await Promise.all([
    buildOciImage(spec, { artifact: opts.artifact, compressionLevel: opts.compressionLevel }),
    ...(opts.native
      ? [
          buildOciImage(specFromDockerfile(opts.native), {
            compressionLevel: opts.compressionLevel,
          }),
        ]
      : []),
  ]);
  const name = opts.tag ?? folderImageTag(path.dirname(path.resolve(opts.source)));
  const ms = performance.now() - t0;
  const pushed = opts.push
    ? await pushImages(images, opts.push, {
        signal,
        credentials: credentialsFromEnv(),
        onProgress: opts.json ? undefined : (m) => process.stderr.write(`${m}\n`),
      })
    : undefined;
  if (output) await writeOutput(output, images, name);
  if (opts.json) {
    const report: BuildReport = {
      output: opts.output,
      tag: name,
      buildMs: ms,
      images: images.map(summary),
      ...(pushed ? { pushed } : {}),
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    for (const img of images) {
      const s = img.sizes;
      process.stdout.write(
        `${img.platform.os}/${img.platform.architecture}${img.artifact ? ' (Wasm OCI artifact)' : ''}  ${img.manifest.digest}\n` +
          `  compressed ${formatBytes(s.compressed)}, uncompressed ${formatBytes(s.uncompressed)}${s.modules ? `, modules ${formatBytes(s.modules)} (${((s.modules / s.uncompressed) * 100).toFixed(0)} % of it)` : ''}\n`,
      );
    }
    if (pushed)
      process.stderr.write(
        `Pushed ${pushed.reference} → ${pushed.digest} (${pushed.uploaded} blobs uploaded, ${pushed.skipped} already there).\n`,
      );
    if (output)
      process.stderr.write(
        `Wrote ${output.kind} ${output.path} (${name}) in ${ms.toFixed(0)} ms, without a daemon.\n`,
      );
  }
  return 0;
}
