import type { ProfileResult } from './result-schema';

const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One row per run (warmup runs marked), every raw figure: for spreadsheets and plotting. */
export function renderCsv(result: ProfileResult): string {
  const rows = [
    [
      'target',
      'runtime',
      'phase',
      'index',
      'exit_code',
      'wall_ms',
      'first_output_ms',
      'max_rss_kb',
      'user_ms',
      'system_ms',
      'exact',
      'error',
    ],
  ];
  for (const t of result.targets) {
    for (const [phase, samples] of [
      ['warmup', t.warmupSamples],
      ['measure', t.samples],
    ] as const) {
      for (const s of samples) {
        rows.push([
          t.id,
          t.runtime,
          phase,
          String(s.index),
          String(s.exitCode ?? ''),
          String(s.wallMs),
          String(s.firstOutputMs ?? ''),
          String(s.maxRssKb),
          String(s.userMs ?? ''),
          String(s.systemMs ?? ''),
          String(s.exact),
          s.error ?? '',
        ]);
      }
    }
  }
  return rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
}
