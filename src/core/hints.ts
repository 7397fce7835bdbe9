/**
 * What a user can do about a runtime that is missing or an engine that does not answer, as facts:
 * core never words them as an editor setting or a command-line flag. Each front end renders them
 * in its own terms (the extension: settings and commands; the CLI: flags and environment
 * variables), see src/extension/hints.ts and src/cli/hints.ts.
 */
export type Hint =
  /** Name the executable of a runtime (a key of the catalog's paths, or 'node' for Node's WASI). */
  | { kind: 'set-path'; runtime: string; configured?: string }
  /** Install a tool: `how` is plain words (a package, a download page), the same everywhere. */
  | { kind: 'install'; what: string; how: string }
  /** The Docker-API engine may listen at another address than the one asked. */
  | { kind: 'engine-address'; engine: 'docker' | 'podman'; tried: string };

/** The fields of a runtime's status that hints are drawn from (RuntimeStatus has them all). */
export interface RuntimeFacts {
  id: string;
  kind: 'process' | 'container';
  available: boolean;
  /** Set by adapters that know which executable they lack (see Detection.missing). */
  missing?: { pathKey: string; executable: string; install: string; configuredPath?: string };
}

/** How a missing Wasm CLI is installed, by runtime id (the catalog's definitions). */
export type InstallTexts = Readonly<Record<string, string>>;

/**
 * The hints for one runtime of the catalog: none when it is available; a process runtime can be
 * named by path (and installed); container runtimes depend on their engine (see engineHints).
 */
export function runtimeHints(r: RuntimeFacts, install: InstallTexts = {}): Hint[] {
  if (r.available || r.kind !== 'process') return [];
  if (r.missing) {
    const { pathKey, executable, install: how, configuredPath } = r.missing;
    return [
      {
        kind: 'set-path',
        runtime: pathKey,
        ...(configuredPath ? { configured: configuredPath } : {}),
      },
      { kind: 'install', what: executable, how },
    ];
  }
  if (r.id === 'node-wasi') return [{ kind: 'set-path', runtime: 'node' }];
  const base = r.id.replace(/-aot$/, '');
  const how = install[base];
  if (how === undefined) return [];
  return [
    { kind: 'set-path', runtime: base },
    { kind: 'install', what: base, how },
  ];
}

/** The hint for an engine that does not answer at the address tried. */
export function engineHints(
  engine: 'docker' | 'podman',
  reachable: boolean,
  tried: string,
): Hint[] {
  return reachable ? [] : [{ kind: 'engine-address', engine, tried }];
}

/**
 * An error a user can act on: the message says what failed, `hints` what to do about it. Core
 * throws it where it knows the hints; each front end words them (a notification's buttons, the
 * CLI's flags).
 */
export class HintedError extends Error {
  constructor(
    message: string,
    readonly hints: readonly Hint[],
  ) {
    super(message);
    this.name = 'HintedError';
  }
}

/** The hints an error carries ([] for any other error). */
export const hintsOfError = (e: unknown): readonly Hint[] =>
  e instanceof HintedError ? e.hints : [];
