import { formatBytes, formatKb, formatMs, formatRatio, plural } from '../format';
import type { ProfileResult } from './result-schema';
import { warningsOf } from './report-text';
import { scenarioErrors, scenarioTables } from './report-scenarios';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** A hyperfine-like Markdown table plus memory, size and ratios to the reference. */
export function renderMarkdownReport(result: ProfileResult, title: string): string {
  const s = result.settings;
  const env = result.environment;
  const out = [
    `# ${cell(title)}`,
    '',
    `${plural(s.runs, 'measured run')} per target after ${plural(s.warmup, 'warmup run')}, ${s.order} order. ${env.cpuModel} ×${env.cpuCount}, ${env.platform} ${env.kernel}, Node ${env.node}, measurement: ${env.measurement}.`,
    '',
    '| Target | Size | Image gzip / unpacked | Cold start median | Mean ± σ | Min … Max | Peak RSS median | Successful runs |',
    '|:---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const t of result.targets) {
    const w = t.summary.wallMs;
    out.push(
      `| ${cell(t.label)} | ${formatBytes(t.sizeBytes)} | ${t.image ? `${formatBytes(t.image.compressed)} / ${formatBytes(t.image.uncompressed)}` : '–'} | ${formatMs(w.median)} | ${formatMs(w.mean)} ± ${formatMs(w.sd)} | ${formatMs(w.min)} … ${formatMs(w.max)} | ${formatKb(t.summary.maxRssKb.median)} | ${w.n} of ${t.samples.length} |`,
    );
  }
  if (result.comparisons.length > 0) {
    out.push(
      '',
      '| Compared with reference | Size | Cold start (95 % CI) | Peak memory (95 % CI) |',
      '|:---|---:|---:|---:|',
    );
    for (const c of result.comparisons) {
      const label = (id: string) => result.targets.find((t) => t.id === id)?.label ?? id;
      const ci = (r: { ratio: number; low: number; high: number }) =>
        `${formatRatio(r.ratio)}${Number.isFinite(r.low) ? ` (${formatRatio(r.low)} – ${formatRatio(r.high)})` : ''}`;
      out.push(
        `| ${cell(label(c.target))} vs ${cell(label(c.reference))} | ${formatRatio(c.size)} | ${ci(c.wallMs)} | ${ci(c.maxRssKb)} |`,
      );
    }
  }
  for (const table of scenarioTables(result)) {
    out.push(
      '',
      `## ${table.title}`,
      '',
      `| ${table.rows[0].map(cell).join(' | ')} |`,
      `|:---|${table.rows[0]
        .slice(1)
        .map(() => '---:')
        .join('|')}|`,
    );
    for (const row of table.rows.slice(1)) out.push(`| ${row.map(cell).join(' | ')} |`);
  }
  const warnings = [...warningsOf(result), ...scenarioErrors(result)];
  // a blank line between warnings, or Markdown merges them into one quote
  for (const w of warnings) out.push('', `> **Warning:** ${cell(w)}`);
  return out.join('\n') + '\n';
}
