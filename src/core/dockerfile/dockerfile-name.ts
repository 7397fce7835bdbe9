import path from 'node:path';

// apart from ./entrypoint, whose Dockerfile parser (dockerfile-ast) a caller that only asks
// whether a path names a Dockerfile (the CLI's profile, on every start) need not load

/** Dockerfile, Dockerfile.native, app.dockerfile … */
export function isDockerfileName(file: string): boolean {
  const base = path.basename(file);
  return (
    /^Dockerfile(\..+)?$/i.test(base) ||
    /\.dockerfile$/i.test(base) ||
    /^Containerfile(\..+)?$/i.test(base)
  );
}
