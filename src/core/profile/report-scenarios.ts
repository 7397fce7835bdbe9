import { formatKb, formatMs } from '../format';
import type { ProfileResult } from './result-schema';

const label = (result: ProfileResult, id: string) =>
  result.targets.find((t) => t.id === id)?.label ?? id;

/** Rows (header first) for start storms, density and memory timelines; shared by text and Markdown. */
export function scenarioTables(result: ProfileResult): Array<{ title: string; rows: string[][] }> {
  const tables: Array<{ title: string; rows: string[][] }> = [];
  const { storms, density, timelines } = result.scenarios;
  if (storms.length > 0) {
    tables.push({
      title: 'Start storms (sequential starts)',
      rows: [
        ['target', 'starts', 'total', 'per start', 'sum of run times', 'failed'],
        ...storms.map((s) => [
          label(result, s.target),
          String(s.count),
          formatMs(s.totalMs),
          formatMs(s.perStartMs),
          formatMs(s.sumWallMs),
          String(s.failures),
        ]),
      ],
    });
  }
  if (density.length > 0) {
    tables.push({
      title: 'Density (concurrent instances kept alive)',
      rows: [
        [
          'target',
          'instances',
          'ready',
          'measured',
          'all up after',
          'total memory',
          'per instance',
          'per instance (PSS)',
          'source',
        ],
        ...density.map((d) => [
          label(result, d.target),
          String(d.instances),
          String(d.ready),
          String(d.measured),
          formatMs(d.upMs),
          formatKb(d.totalRssKb),
          formatKb(d.perInstanceRssKb),
          d.perInstancePssKb !== undefined ? formatKb(d.perInstancePssKb) : '–',
          d.totalCgroupKb !== undefined ? 'cgroup' : 'RSS (/proc)',
        ]),
      ],
    });
  }
  if (timelines.length > 0) {
    tables.push({
      title: 'Memory over time (one run)',
      rows: [
        ['target', 'interval', 'samples', 'peak', 'last', 'duration'],
        ...timelines.map((t) => {
          const peak = Math.max(...t.points.map((p) => p[1]));
          const last = t.points.at(-1);
          return [
            label(result, t.target),
            formatMs(t.intervalMs),
            String(t.points.length),
            t.points.length ? formatKb(peak) : '–',
            last ? formatKb(last[1]) : '–',
            last ? formatMs(last[0]) : '–',
          ];
        }),
      ],
    });
  }
  return tables;
}

export function scenarioErrors(result: ProfileResult): string[] {
  return [
    ...result.scenarios.density.flatMap((d) =>
      d.errors.slice(0, 3).map((e) => `${label(result, d.target)} density ${d.instances}: ${e}`),
    ),
    ...result.scenarios.timelines
      .filter((t) => t.error)
      .map((t) => `${label(result, t.target)} memory timeline: ${t.error}`),
    ...result.scenarios.storms
      .filter((s) => s.failures > 0)
      .map((s) => `${label(result, s.target)} start storm ${s.count}: ${s.failures} failed starts`),
  ];
}
