import type { Catalog, RuntimeStatus } from './runtime-catalog';

/** What `runtimes --json` prints. */
export type CatalogJson = ReturnType<typeof catalogToJson>;

/** The catalog as JSON: everything but the adapters. */
export function catalogToJson(catalog: Catalog) {
  return {
    runtimes: catalog.runtimes.map(({ adapter: _adapter, ...rest }) => rest),
    engines: catalog.engines,
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
export function renderCatalog(catalog: Catalog): string {
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
      ...missing.map((r) => `  ${r.id}: ${r.reason ?? 'unknown reason'}`),
    );
  for (const e of catalog.engines) {
    if (e.report.reachable) {
      lines.push(
        '',
        `${e.name} at ${e.host}: engine ${e.report.serverVersion} (API ${e.report.apiVersion}), runtimes ${e.report.runtimes.join(', ')}; containerd image store: ${e.report.containerdImageStore ? 'yes' : 'no'}; Wasm: ${e.report.canRunWasm ? 'yes' : 'no'}`,
      );
    }
  }
  return lines.join('\n');
}
