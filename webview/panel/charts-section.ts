/** The charts of a profile, one card each; scenarios the profile lacks say what would measure them. */
import { formatBytes, formatKb, formatMs } from '../../src/core/format';
import type {
  ProfileResult,
  StoredSample,
  TargetResult,
} from '../../src/core/profile/result-schema';
import type { ScenarioName } from '../../src/shared/webview-protocol';
import { barChart, type BarRow } from './charts/bars';
import { boxPlot } from './charts/box';
import { lineChart, markerIcon, type LineSeries } from './charts/lines';
import { BYTES, COUNTS, MILLISECONDS, wantsLog, spanOf, type Unit } from './charts/scale';
import { card, type CardHost, type CardSpec } from './card';
import { custom, el } from './dom';

export interface ChartsHost extends CardHost {
  /** Offers a button that adds a scenario (to a spec) and runs it; undefined in a standalone report. */
  addScenario?: (scenario: ScenarioName) => void;
}

const ok = (t: TargetResult) => t.samples.filter((s) => !s.error);
const isFinitePositive = (v: number) => Number.isFinite(v) && v > 0;

function partsLegend(parts: string[]): HTMLElement {
  return el(
    'p',
    { class: 'legend' },
    ...parts.map((name, j) =>
      el('span', { class: 'key' }, el('i', { class: `swatch p${j}`, 'aria-hidden': 'true' }), name),
    ),
  );
}

function seriesLegend(series: LineSeries[]): HTMLElement {
  return el(
    'p',
    { class: 'legend' },
    ...series.map((s) => {
      const key = el('span', { class: 'key' });
      key.append(markerIcon(s.colour), s.name);
      return key;
    }),
  );
}

function runTip(t: TargetResult, s: StoredSample): string {
  const parts = [`${t.label} — run ${s.index + 1}: ${formatMs(s.wallMs)}`];
  if (Number.isFinite(s.maxRssKb)) parts.push(`peak memory ${formatKb(s.maxRssKb)}`);
  if (s.firstOutputMs !== undefined) parts.push(`first output after ${formatMs(s.firstOutputMs)}`);
  if (s.containerPhases)
    parts.push(
      `create ${formatMs(s.containerPhases.create)} · start ${formatMs(s.containerPhases.start)} · run ${formatMs(s.containerPhases.run)} · remove ${formatMs(s.containerPhases.remove)}`,
    );
  parts.push(`exit code ${s.exitCode ?? s.signal ?? '?'}`);
  return parts.join('\n');
}

const SCENARIO_HINT: Record<ScenarioName, { text: string; button: string }> = {
  markers: {
    text: 'Not measured: the split needs marker lines the program prints when it starts and stops its work.',
    button: 'Add marker lines to a profile spec…',
  },
  startStorm: {
    text: 'Not measured in this profile.',
    button: 'Add a start storm (1, 10, 100) to a profile spec and run it',
  },
  density: {
    text: 'Not measured: density needs a program that stays alive and prints a ready line.',
    button: 'Add a density scenario (10, 100 instances) to a profile spec…',
  },
  memoryTimeline: {
    text: 'Not measured in this profile.',
    button: 'Add a memory timeline (every 100 ms) to a profile spec and run it',
  },
};

function emptyScenario(scenario: ScenarioName, host: ChartsHost): CardSpec['empty'] {
  const hint = SCENARIO_HINT[scenario];
  if (!host.addScenario) return { text: `${hint.text}` };
  const button = custom(
    'vscode-button',
    { class: 'add-scenario', 'data-scenario': scenario },
    hint.button,
  );
  const add = host.addScenario;
  button.addEventListener('click', () => add(scenario));
  return { text: hint.text, action: button };
}

function sizeCard(result: ProfileResult): CardSpec {
  const parts = ['module / binary', 'image (gzip)', 'image (unpacked)'];
  const rows: BarRow[] = result.targets.map((t, i) => ({
    name: t.label,
    colour: i,
    values: [
      t.sizeKind === 'file' ? t.sizeBytes : NaN,
      t.image?.compressed ?? NaN,
      t.image?.uncompressed ?? (t.sizeKind === 'image' ? t.sizeBytes : NaN),
    ],
  }));
  const values = rows.flatMap((r) => r.values);
  return {
    id: 'size',
    title: 'Size',
    caption:
      'The module or binary on disk, and the FROM scratch image that ships it: compressed (what a pull transfers) and unpacked.',
    legend: partsLegend(parts),
    logByDefault: wantsLog(values),
    draw: (width, log) =>
      barChart(rows, {
        title: 'Size per target',
        parts,
        units: BYTES,
        format: formatBytes,
        log,
        width,
      }),
  };
}

function coldStartCard(result: ProfileResult): CardSpec {
  const measured = result.targets.map((t, i) => ({ t, i })).filter(({ t }) => ok(t).length > 0);
  const values = measured.flatMap(({ t }) => ok(t).map((s) => s.wallMs));
  return {
    id: 'cold-start',
    title: 'Cold start',
    caption: `Every measured run as a dot; box: quartiles and median, whiskers 1.5 IQR (${measured.map(({ t }) => `${t.label} n=${ok(t).length}`).join(', ')}). Hover a dot for its run.`,
    logByDefault: wantsLog(values),
    empty: { text: 'No successful cold-start run in this profile.' },
    draw: measured.length
      ? (width, log) =>
          boxPlot(
            measured.map(({ t, i }) => {
              const runs = ok(t);
              const w = t.summary.wallMs;
              return {
                name: t.label,
                colour: i,
                values: runs.map((s) => s.wallMs),
                runTip: (k) => runTip(t, runs[k]),
                summaryTip: `${t.label}: median ${formatMs(w.median)}, mean ${formatMs(w.mean)} ± ${formatMs(w.sd)}\nmin ${formatMs(w.min)} · p95 ${formatMs(w.p95)} · max ${formatMs(w.max)}\n${w.n} runs, ${w.outliers.length} outliers`,
              };
            }),
            { title: 'Cold start per target', units: MILLISECONDS, format: formatMs, log, width },
          )
      : undefined,
  };
}

function memoryCard(result: ProfileResult): CardSpec {
  const measured = result.targets
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.summary.maxRssKb.n > 0);
  const rows: BarRow[] = measured.map(({ t, i }) => {
    const m = t.summary.maxRssKb;
    return {
      name: t.label,
      colour: i,
      values: [m.median * 1024],
      details: () => [
        `mean ${formatKb(m.mean)} ± ${formatKb(m.sd)}, ${formatKb(m.min)} … ${formatKb(m.max)}, n=${m.n}`,
        t.sizeKind === 'image' ? 'peak of the container cgroup (polled)' : 'peak RSS (wait4)',
      ],
    };
  });
  return {
    id: 'memory',
    title: 'Peak memory',
    caption:
      'Median peak memory per target: wait4 RSS for processes, the cgroup peak for containers.',
    logByDefault: wantsLog(rows.map((r) => r.values[0])),
    empty: { text: 'No memory figures in this profile.' },
    draw: rows.length
      ? (width, log) =>
          barChart(rows, {
            title: 'Peak memory per target',
            parts: ['peak'],
            units: BYTES,
            format: formatBytes,
            log,
            width,
          })
      : undefined,
  };
}

function stackedCard(
  result: ProfileResult,
  id: string,
  title: string,
  caption: string,
  parts: string[],
  of: (t: TargetResult) => Record<string, { median: number }> | undefined,
): CardSpec | undefined {
  const having = result.targets.map((t, i) => ({ t, i })).filter(({ t }) => of(t));
  if (having.length === 0) return undefined;
  const rows: BarRow[] = having.map(({ t, i }) => {
    const values = parts.map((p) => of(t)![p].median);
    const total = values.filter(isFinitePositive).reduce((a, b) => a + b, 0);
    return { name: t.label, colour: i, values, details: () => [`total ${formatMs(total)}`] };
  });
  return {
    id,
    title,
    caption,
    legend: partsLegend(parts),
    draw: (width) =>
      barChart(rows, {
        title,
        parts,
        stacked: true,
        units: MILLISECONDS,
        format: formatMs,
        log: false,
        width,
      }),
  };
}

function lineCard(
  id: string,
  title: string,
  caption: string,
  series: LineSeries[],
  axes: {
    xTitle: string;
    xUnits: Unit[];
    yUnits: Unit[];
    formatX: (v: number) => string;
    formatY: (v: number) => string;
  },
): CardSpec {
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  return {
    id,
    title,
    caption,
    legend: seriesLegend(series),
    logByDefault: wantsLog(ys),
    draw: (width, log) =>
      lineChart(series, {
        title,
        ...axes,
        xLog: axes.xUnits === COUNTS && spanOf(xs) >= 20,
        yLog: log,
        width,
      }),
  };
}

function seriesOf<T extends { target: string }>(
  result: ProfileResult,
  items: T[],
  point: (item: T) => [number, number] | undefined,
): LineSeries[] {
  return result.targets
    .map((t, i) => ({
      name: t.label,
      colour: i,
      points: items
        .filter((x) => x.target === t.id)
        .map(point)
        .filter((p) => p !== undefined),
    }))
    .filter((s) => s.points.length > 0);
}

function scenarioCards(result: ProfileResult, host: ChartsHost): CardSpec[] {
  const { storms, density, timelines } = result.scenarios;
  const cards: CardSpec[] = [];
  const timelineSeries: LineSeries[] = timelines.flatMap((t) => {
    const i = result.targets.findIndex((x) => x.id === t.target);
    const name = result.targets[i]?.label ?? t.target;
    const points = t.points.map(([ms, kb]): [number, number] => [ms, kb * 1024]);
    return points.length ? [{ name, colour: Math.max(0, i), points }] : [];
  });
  cards.push(
    timelineSeries.length
      ? lineCard(
          'timeline',
          'Memory over time',
          `Resident memory sampled every ${timelines[0]?.intervalMs ?? 100} ms during one run.`,
          timelineSeries,
          {
            xTitle: 'time since start',
            xUnits: MILLISECONDS,
            yUnits: BYTES,
            formatX: (v) => `${formatMs(v)} after start`,
            formatY: formatBytes,
          },
        )
      : {
          id: 'timeline',
          title: 'Memory over time',
          caption: '',
          empty: emptyScenario('memoryTimeline', host),
        },
  );
  const stormSeries = seriesOf(result, storms, (s) => [s.count, s.totalMs]);
  cards.push(
    stormSeries.length
      ? lineCard('storm', 'Start storm', 'Total time of N sequential starts.', stormSeries, {
          xTitle: 'sequential starts',
          xUnits: COUNTS,
          yUnits: MILLISECONDS,
          formatX: (v) => `${v} starts`,
          formatY: formatMs,
        })
      : {
          id: 'storm',
          title: 'Start storm',
          caption: '',
          empty: emptyScenario('startStorm', host),
        },
  );
  const measured = density.filter((d) => d.measured > 0);
  if (measured.length === 0) {
    cards.push({
      id: 'density',
      title: 'Density',
      caption: '',
      empty: emptyScenario('density', host),
    });
    return cards;
  }
  const axes = {
    xTitle: 'instances',
    xUnits: COUNTS,
    yUnits: BYTES,
    formatX: (v: number) => `${v} instances`,
    formatY: formatBytes,
  };
  cards.push(
    lineCard(
      'density-per-instance',
      'Density: memory per instance',
      'Memory per live instance with N running together (processes: RSS; containers: cgroup).',
      seriesOf(result, measured, (d) => [d.instances, d.perInstanceRssKb * 1024]),
      axes,
    ),
    lineCard(
      'density-total',
      'Density: total memory',
      'Memory of all N instances together.',
      seriesOf(result, measured, (d) => [d.instances, d.totalRssKb * 1024]),
      axes,
    ),
  );
  return cards;
}

export function chartsSection(result: ProfileResult, host: ChartsHost): HTMLElement {
  const specs: CardSpec[] = [];
  if (result.settings.coldStart) specs.push(coldStartCard(result));
  specs.push(sizeCard(result));
  if (result.settings.coldStart) specs.push(memoryCard(result));
  if (result.settings.coldStart)
    specs.push(
      stackedCard(
        result,
        'phases',
        'Startup / run / shutdown',
        'Medians split by the marker lines (stacked).',
        ['startup', 'run', 'shutdown'],
        (t) => t.summary.phases,
      ) ?? {
        id: 'phases',
        title: 'Startup / run / shutdown',
        caption: '',
        empty: emptyScenario('markers', host),
      },
    );
  const lifecycle = stackedCard(
    result,
    'container-phases',
    'Container lifecycle',
    'Medians of create / start / run / remove (stacked): together the docker run --rm equivalent.',
    ['create', 'start', 'run', 'remove'],
    (t) => t.summary.containerPhases,
  );
  if (lifecycle) specs.push(lifecycle);
  specs.push(...scenarioCards(result, host));
  return el(
    'section',
    { 'aria-labelledby': 'charts-title' },
    el('h2', { id: 'charts-title' }, 'Charts'),
    el('div', { class: 'grid' }, ...specs.map((s) => card(s, host))),
  );
}
