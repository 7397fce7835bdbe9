/** The Markdown report: the verdict first, then a hyperfine-like table, the scenarios and the warnings. */
import { formatBytes, formatKb, formatMs, plural } from '../format';
import { aotLines } from './report-aot';
import { measurementNotes, warningsOf } from './report-notes';
import { scenarioTables } from './report-scenarios';
import { verdictLines } from './report-text';
import type { ProfileResult, TargetResult } from './result-schema';
import { defaultReference } from './verdict';

const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(rows: string[][], align: string[]): string[] {
  return [
    `| ${rows[0].map(cell).join(' | ')} |`,
    `|${align.join('|')}|`,
    ...rows.slice(1).map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function targetRow(t: TargetResult): string[] {
  const w = t.summary.wallMs;
  return [
    t.label,
    formatBytes(t.sizeBytes),
    t.image ? `${formatBytes(t.image.compressed)} / ${formatBytes(t.image.uncompressed)}` : '–',
    formatMs(w.median),
    `${formatMs(w.mean)} ± ${formatMs(w.sd)}`,
    `${formatMs(w.min)} … ${formatMs(w.max)}`,
    formatKb(t.summary.maxRssKb.median),
    `${w.n} of ${t.samples.length}`,
  ];
}

export function renderMarkdownReport(result: ProfileResult, title: string): string {
  const s = result.settings;
  const env = result.environment;
  const runs = s.coldStart
    ? `${plural(s.runs, 'measured run')} per target after ${plural(s.warmup, 'warmup run')}, ${s.order} order`
    : 'Scenarios only';
  const out = [
    `# ${cell(title)}`,
    '',
    `${runs}. ${env.cpuModel} ×${env.cpuCount}, ${env.platform} ${env.kernel}, Node ${env.node}. Measured: ${measurementNotes(result).join('; ')}.`,
  ];
  const verdicts = verdictLines(result);
  if (verdicts.length > 0) {
    const reference = defaultReference(result);
    out.push(
      '',
      `## Verdict${reference ? ` (against ${cell(reference.label)})` : ''}`,
      '',
      ...verdicts.map((v) => `- ${cell(v)}`),
    );
  }
  if (s.coldStart) {
    out.push(
      '',
      '## Targets',
      '',
      ...table(
        [
          [
            'Target',
            'Size',
            'Image gzip / unpacked',
            'Cold start median',
            'Mean ± σ',
            'Min … Max',
            'Peak RSS median',
            'Successful runs',
          ],
          ...result.targets.map(targetRow),
        ],
        [':---', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
      ),
    );
  }
  const aot = aotLines(result);
  if (aot.length > 0)
    out.push('', '## Ahead-of-time compiles', '', ...aot.map((l) => `- ${cell(l)}`));
  for (const t of scenarioTables(result))
    out.push(
      '',
      `## ${t.title}`,
      '',
      ...table(t.rows, [':---', ...t.rows[0].slice(1).map(() => '---:')]),
    );
  // a blank line between warnings, or Markdown merges them into one quote
  for (const w of warningsOf(result)) out.push('', `> **Warning:** ${cell(w)}`);
  return out.join('\n') + '\n';
}
