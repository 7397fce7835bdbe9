import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A file the build puts in dist/ (a bundled script or the wc-exec helper). Bundled code finds it
 * beside itself; code running from source (tests) finds it in the repository's dist/.
 */
export function bundledFile(relative: string): string {
  const beside = path.join(__dirname, relative);
  if (existsSync(beside)) return beside;
  const repoDist = path.resolve(__dirname, '..', '..', 'dist', relative);
  if (existsSync(repoDist)) return repoDist;
  throw new Error(
    `${relative} is missing from ${path.dirname(beside)} and ${path.dirname(repoDist)}: run 'npm run build' first.`,
  );
}

/**
 * A third-party library the build bundles on its own (dist/vendor-NAME.js, see scripts/build.mjs),
 * required on first use: starting the CLI or the extension never parses it, and a command that
 * does not need it (inspect, run, profile of processes) never loads it.
 */
export function requireVendor<T>(name: 'dockerode' | 'languageclient'): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundledFile(`vendor-${name}.js`)) as T;
}
