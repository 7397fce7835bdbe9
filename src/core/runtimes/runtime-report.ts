import type { Catalog, RuntimeStatus } from './runtime-catalog';
import { engineHints, runtimeHints, type Hint } from '../hints';
import { WASM_CLI_DEFINITIONS } from './wasm-cli-runtimes';
import { DockerContainerRuntime } from '../engines/docker/container';

/** How each standalone Wasm CLI is installed, by runtime id. */
export const installTexts = () =>
  Object.fromEntries(WASM_CLI_DEFINITIONS.map((d) => [d.id, d.install]));

/**
 * What a user can do about one runtime of the catalog: a process runtime's executable (name it,
 * install it), a container runtime's engine when that engine did not answer.
 */
export function hintsOf(r: RuntimeStatus, catalog: Pick<Catalog, 'engines'>): Hint[] {
  if (r.available) return [];
  if (r.kind === 'process') return runtimeHints(r, installTexts());
  const engine = r.adapter instanceof DockerContainerRuntime ? r.adapter.engine : undefined;
  const e = catalog.engines.find((x) => x.name === engine);
  return e ? engineHints(e.name, e.report.reachable, e.host) : [];
}

/** A front end's wording of hints (the lines a reason does not already say). */
export type HintWording = (hints: readonly Hint[], reason?: string) => string[];

/** What `runtimes --json` prints. */
export type CatalogJson = ReturnType<typeof catalogToJson>;

/** The catalog as JSON: everything but the adapters, with structured hints for what is missing. */
export function catalogToJson(catalog: Catalog) {
  return {
    runtimes: catalog.runtimes.map((r) => {
      const { adapter: _adapter, ...rest } = r;
      return { ...rest, hints: hintsOf(r, catalog) };
    }),
    engines: catalog.engines.map((e) => ({
      ...e,
      hints: engineHints(e.name, e.report.reachable, e.host),
    })),
  };
}

function capabilitySummary(r: RuntimeStatus): string {
  const c = r.capabilities;
  if (!c) return r.kind === 'container' ? 'OCI container' : 'native executable';
  return [c.wasiPreview1 ? 'WASI p1' : '', c.components ? 'components' : '', c.aot ? 'AOT' : '']
    .filter(Boolean)
    .join(', ');
}

/** The catalog as a terminal table, then one line per missing runtime saying why and how to get it. */
export function renderCatalog(catalog: Catalog, word: HintWording = () => []): string {
  const rows = [['', 'runtime', 'runs', 'version', 'supports']];
  for (const r of catalog.runtimes)
    rows.push([r.available ? '✓' : '✗', r.id, r.runs, r.version ?? '–', capabilitySummary(r)]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
  const missing = catalog.runtimes.filter((r) => !r.available);
  if (missing.length > 0)
    lines.push(
      '',
      'Not available:',
      ...missing.flatMap((r) => [
        `  ${r.id}: ${r.reason ?? 'unknown reason'}`,
        ...word(runtimeHints(r, installTexts()), r.reason).map((h) => `    → ${h}`),
      ]),
    );
  for (const e of catalog.engines) {
    if (!e.report.reachable) {
      lines.push(
        '',
        `${e.name} at ${e.host}: ${e.report.reason ?? 'not reachable'}`,
        ...word(engineHints(e.name, false, e.host), e.report.reason).map((h) => `  → ${h}`),
      );
    } else {
      lines.push(
        '',
        `${e.name} at ${e.host}: engine ${e.report.serverVersion} (API ${e.report.apiVersion}), runtimes ${e.report.runtimes.join(', ')}; containerd image store: ${e.report.containerdImageStore ? 'yes' : 'no'}; Wasm: ${e.report.canRunWasm ? 'yes' : 'no'}`,
      );
    }
  }
  return lines.join('\n');
}
