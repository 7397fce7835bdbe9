import path from 'node:path';

/**
 * A name as an image repository allows it: lower case, letters, digits and . _ - only, starting
 * with a letter or digit; 'image' when nothing of it is left.
 */
export function repositorySlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'image'
  );
}

/**
 * The tag the tool gives an image it builds from a folder: wasm-containers/<folder>:latest, and
 * wasm-containers/<folder>-native:latest for the native twin built from Dockerfile.native.
 */
export function folderImageTag(folder: string, variant: 'wasm' | 'native' = 'wasm'): string {
  const suffix = variant === 'native' ? '-native' : '';
  return `wasm-containers/${repositorySlug(path.basename(path.resolve(folder)))}${suffix}:latest`;
}
