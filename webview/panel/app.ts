import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { compareWithBaseline } from '../../src/core/profile/baseline';
import { formatBytes, formatKb, formatMs, formatRatio } from '../../src/core/format';
import { scenarioErrors } from '../../src/core/profile/report-scenarios';
import { memoryNote, warningsOf } from '../../src/core/profile/report-text';
import type { ProfileResult, TargetResult } from '../../src/core/profile/result-schema';
import { ratioOfMedians } from '../../src/core/profile/stats';
import type { ExportFormat, FromWebview, PanelState } from '../../src/shared/webview-protocol';
import { barChart, boxPlot, lineChart, partColour, type ChartHandle } from './charts';
import { custom, el } from './dom';
import { readTheme } from './theme';

export interface Host {
  post(message: FromWebview): void;
  standalone: boolean;
  /** Standalone report: offer a file for download instead of asking the extension. */
  download?(format: ExportFormat | 'png', name: string, content: string): void;
}

/** Counts (instances, starts) have no fractional ticks. */
const wholeTicks = (v: number) => (Number.isInteger(v) ? String(v) : '');
const ok = (t: TargetResult) => t.samples.filter((s) => !s.error);
const mib = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} MiB`;

export class PanelApp {
  private state: PanelState = { runs: [], live: false };
  private referenceId: string | undefined;
  private charts: ChartHandle[] = [];
  /** Charts are drawn once their cards are in the document, so that they know their width. */
  private pendingDraws: Array<() => void> = [];
  private progress = '';

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {}

  setState(state: PanelState): void {
    this.state = state;
    this.render();
  }

  setProgress(message: string, done: number, total: number): void {
    this.progress = total > 0 ? `${message} (${done}/${total})` : message;
    const node = this.root.querySelector('#progress');
    if (node) node.textContent = this.progress;
  }

  finished(result: ProfileResult): void {
    this.state = { ...this.state, result, live: false };
    this.render();
  }

  /** Re-draws everything; returns how long it took (ms). */
  render(): number {
    const t0 = performance.now();
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
    this.root.replaceChildren();
    const result = this.state.result;
    if (!result) {
      this.root.append(
        el(
          'p',
          { class: 'muted', id: 'empty' },
          this.state.live
            ? 'Profiling… the first samples will appear here.'
            : 'No profile yet: run "Wasm Containers: Profile Against Native" on a .wasm file, or open a stored run below.',
        ),
      );
      this.root.append(this.runsSection());
      return performance.now() - t0;
    }
    if (!result.targets.some((t) => t.id === this.referenceId)) {
      this.referenceId =
        result.comparisons[0]?.reference ??
        result.targets.find((t) => t.runs === 'native')?.id ??
        result.targets[0]?.id;
    }
    this.root.append(
      this.header(result),
      this.overview(result),
      this.chartsSection(result),
      this.warnings(result),
      this.runsSection(),
    );
    for (const draw of this.pendingDraws.splice(0)) draw();
    const ms = performance.now() - t0;
    document.body.dataset.renderMs = ms.toFixed(1);
    return ms;
  }

  private button(
    label: string,
    onClick: () => void,
    attrs: Record<string, string> = {},
  ): HTMLElement {
    const b = custom('vscode-button', attrs, label);
    b.addEventListener('click', onClick);
    return b;
  }

  private exportAs(format: ExportFormat): void {
    if (this.host.standalone)
      this.host.download?.(format, `profile.${format === 'markdown' ? 'md' : format}`, '');
    else this.host.post({ type: 'export', format });
  }

  private header(result: ProfileResult): HTMLElement {
    const env = result.environment;
    const s = result.settings;
    const status = this.state.live ? 'running' : result.status;
    const toolbar = el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Export' },
      this.state.live && !this.host.standalone
        ? this.button('Cancel', () => this.host.post({ type: 'cancel' }), {
            id: 'cancel',
            secondary: '',
          })
        : undefined,
      this.button('Export JSON', () => this.exportAs('json'), { secondary: '' }),
      this.button('Export CSV', () => this.exportAs('csv'), { secondary: '' }),
      this.button('Export Markdown', () => this.exportAs('markdown'), { secondary: '' }),
      !this.host.standalone
        ? this.button('Export HTML', () => this.exportAs('html'), { secondary: '' })
        : undefined,
      !this.host.standalone
        ? this.button('Open Raw JSON', () => this.host.post({ type: 'openRaw' }), { secondary: '' })
        : undefined,
    );
    return el(
      'header',
      {},
      el('h1', {}, s.name ?? 'Profile'),
      el(
        'p',
        { class: 'meta' },
        el('span', { class: `badge status-${status}`, id: 'status' }, status),
        ' ',
        `${s.coldStart ? `${s.runs} measured runs per target after ${s.warmup} warmup, ${s.order}` : 'scenarios only'} · ${env.cpuModel} ×${env.cpuCount} · ${env.platform} ${env.kernel} · processes measured by ${env.measurement === 'wait4' ? 'wait4 (exact)' : 'polling'} · ${new Date(result.startedAt).toLocaleString()}`,
      ),
      this.state.live
        ? el(
            'p',
            { id: 'progress', class: 'progress', 'aria-live': 'polite' },
            this.progress || 'starting…',
          )
        : undefined,
      toolbar,
    );
  }

  private overview(result: ProfileResult): HTMLElement {
    const ref = result.targets.find((t) => t.id === this.referenceId);
    const select = custom(
      'vscode-single-select',
      { id: 'reference', 'aria-label': 'Reference target' },
      ...result.targets.map((t) =>
        custom(
          'vscode-option',
          t.id === this.referenceId ? { value: t.id, selected: '' } : { value: t.id },
          t.label,
        ),
      ),
    );
    select.addEventListener('change', () => {
      this.referenceId = (select as unknown as { value: string }).value;
      this.render();
    });
    const head = [
      'Target',
      'Runtime',
      'Size',
      'Image (gzip)',
      'Cold start median',
      'σ',
      'p95',
      'Peak memory median',
      'Successful runs',
      ref ? `vs ${ref.label}` : 'vs reference',
    ];
    const rows = result.targets.map((t) => {
      const w = t.summary.wallMs;
      let vs = '–';
      if (ref && ref !== t && w.n > 0) {
        // the profiler already computed the ratios against its reference; recompute only for another
        const stored = result.comparisons.find((c) => c.target === t.id && c.reference === ref.id);
        const time =
          stored?.wallMs ??
          ratioOfMedians(
            ok(t).map((s) => s.wallMs),
            ok(ref).map((s) => s.wallMs),
          );
        const mem =
          stored?.maxRssKb ??
          ratioOfMedians(
            ok(t).map((s) => s.maxRssKb),
            ok(ref).map((s) => s.maxRssKb),
          );
        vs = `size ${formatRatio(t.sizeBytes / ref.sizeBytes)}${t.image && ref.image ? ` (image ${formatRatio(t.image.compressed / ref.image.compressed)})` : ''}, cold start ${formatRatio(time.ratio)}${Number.isFinite(time.low) ? ` (${formatRatio(time.low)}–${formatRatio(time.high)})` : ''}, memory ${formatRatio(mem.ratio)}`;
      } else if (ref === t) vs = 'reference';
      return el(
        'tr',
        {},
        el('th', { scope: 'row' }, t.label),
        el('td', {}, t.runtime),
        el(
          'td',
          { class: 'num' },
          `${formatBytes(t.sizeBytes)}${t.sizeKind === 'image' ? ' (image)' : ''}`,
        ),
        el('td', { class: 'num' }, t.image ? formatBytes(t.image.compressed) : '–'),
        el('td', { class: 'num' }, w.n ? formatMs(w.median) : '–'),
        el('td', { class: 'num' }, w.n ? `± ${formatMs(w.sd)}` : '–'),
        el('td', { class: 'num' }, w.n ? formatMs(w.p95) : '–'),
        el(
          'td',
          { class: 'num' },
          t.summary.maxRssKb.n ? `${formatKb(t.summary.maxRssKb.median)}${memoryNote(t)}` : '–',
        ),
        el('td', { class: 'num' }, `${w.n} of ${t.samples.length}`),
        el('td', {}, vs),
      );
    });
    return el(
      'section',
      { 'aria-labelledby': 'overview-title' },
      el(
        'div',
        { class: 'section-head' },
        el('h2', { id: 'overview-title' }, 'Overview'),
        el('label', { class: 'inline' }, 'Reference: ', select),
      ),
      el(
        'table',
        { class: 'data', id: 'overview' },
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows),
      ),
    );
  }

  /** A small legend for the parts of a stacked chart (phases), in the parts' own colours. */
  private partsLegend(parts: string[]): HTMLElement {
    const theme = readTheme();
    return el(
      'p',
      { class: 'legend parts' },
      ...parts.map((name, j) => {
        const swatch = el('i', { 'aria-hidden': 'true' });
        swatch.style.background = partColour(theme, j);
        return el('span', { class: 'key' }, swatch, name);
      }),
    );
  }

  private card(
    id: string,
    title: string,
    caption: string,
    draw: ((target: HTMLElement) => ChartHandle) | undefined,
    emptyHint: string,
    legend?: HTMLElement,
  ): HTMLElement {
    const body = el('div', {
      class: 'chart',
      id: `chart-${id}`,
      role: 'img',
      'aria-label': `${title}. ${caption}`,
    });
    const save = this.button(
      'Save PNG',
      () => {
        const chart = (body as HTMLElement & { handle?: ChartHandle }).handle;
        if (!chart) return;
        if (this.host.standalone) this.host.download?.('png', `${id}.png`, chart.png());
        else this.host.post({ type: 'saveChart', name: id, pngDataUrl: chart.png() });
      },
      { secondary: '', class: 'save' },
    );
    const card = el(
      'figure',
      { class: 'card', id: `card-${id}` },
      el('figcaption', {}, el('h3', {}, title), draw ? save : undefined),
      draw ? legend : undefined,
      body,
      el('p', { class: 'muted caption' }, draw ? caption : emptyHint),
    );
    if (draw) {
      this.pendingDraws.push(() => {
        const handle = draw(body);
        (body as HTMLElement & { handle?: ChartHandle }).handle = handle;
        this.charts.push(handle);
      });
    } else card.classList.add('empty');
    return card;
  }

  private chartsSection(result: ProfileResult): HTMLElement {
    const theme = readTheme();
    const names = result.targets.map((t) => t.label);
    const withRuns = result.targets.filter((t) => ok(t).length > 0);
    const { storms, density, timelines } = result.scenarios;
    const grid = el('div', { class: 'grid' });
    grid.append(
      this.card(
        'size',
        'Size',
        'Module or binary on disk, and the FROM scratch image that ships it: compressed (what a pull transfers) and unpacked.',
        (t) =>
          barChart(
            t,
            theme,
            names,
            [
              {
                name: 'module / binary',
                values: result.targets.map((x) => (x.sizeKind === 'file' ? x.sizeBytes : NaN)),
              },
              {
                name: 'image (gzip)',
                values: result.targets.map((x) => x.image?.compressed ?? NaN),
              },
              {
                name: 'image (unpacked)',
                values: result.targets.map(
                  (x) => x.image?.uncompressed ?? (x.sizeKind === 'image' ? x.sizeBytes : NaN),
                ),
              },
            ],
            'size',
            formatBytes,
          ),
        '',
        this.partsLegend(['module / binary', 'image (gzip)', 'image (unpacked)']),
      ),
      this.card(
        'cold-start',
        'Cold start distribution',
        `Box: quartiles and median; whiskers 1.5 IQR; points: every measured run (${withRuns.map((t) => `${t.label} n=${ok(t).length}`).join(', ')}).`,
        withRuns.length
          ? (t) =>
              boxPlot(
                t,
                theme,
                withRuns.map((x) => ({ name: x.label, values: ok(x).map((s) => s.wallMs) })),
                'wall time',
                formatMs,
              )
          : undefined,
        'No cold-start runs in this profile.',
      ),
      this.card(
        'memory',
        'Peak memory',
        'Median peak memory per target: wait4 RSS for processes, cgroup peak for containers.',
        withRuns.some((t) => t.summary.maxRssKb.n)
          ? (t) =>
              barChart(
                t,
                theme,
                withRuns.map((x) => x.label),
                [{ name: 'peak', values: withRuns.map((x) => x.summary.maxRssKb.median * 1024) }],
                'memory',
                formatBytes,
              )
          : undefined,
        'No memory figures.',
      ),
    );
    const phased = result.targets.filter((t) => t.summary.phases);
    grid.append(
      this.card(
        'phases',
        'Startup / run / shutdown',
        'Medians split by the marker lines (stacked).',
        phased.length
          ? (t) =>
              barChart(
                t,
                theme,
                phased.map((x) => x.label),
                ['startup', 'run', 'shutdown'].map((p) => ({
                  name: p,
                  values: phased.map((x) => x.summary.phases![p].median),
                })),
                'time',
                formatMs,
                true,
              )
          : undefined,
        'No marker lines: profile with --markers Starting,Stopped (the program must print them).',
        this.partsLegend(['startup', 'run', 'shutdown']),
      ),
    );
    const containers = result.targets.filter((t) => t.summary.containerPhases);
    if (containers.length) {
      grid.append(
        this.card(
          'container-phases',
          'Container lifecycle',
          'Medians of create / start / run / remove (stacked): together the docker run --rm equivalent.',
          (t) =>
            barChart(
              t,
              theme,
              containers.map((x) => x.label),
              ['create', 'start', 'run', 'remove'].map((p) => ({
                name: p,
                values: containers.map((x) => x.summary.containerPhases![p].median),
              })),
              'time',
              formatMs,
              true,
            ),
          '',
          this.partsLegend(['create', 'start', 'run', 'remove']),
        ),
      );
    }
    grid.append(
      this.card(
        'timeline',
        'Memory over time',
        `Resident memory sampled every ${timelines[0]?.intervalMs ?? 100} ms during one run.`,
        timelines.length
          ? (t) =>
              lineChart(
                t,
                theme,
                timelines.map((x) => ({
                  name: result.targets.find((y) => y.id === x.target)?.label ?? x.target,
                  points: x.points.map(
                    ([ms, kb]) => [Math.round(ms), kb / 1024] as [number, number],
                  ),
                })),
                'time since start (ms)',
                'resident (MiB)',
                (v) => `${v} ms`,
                (v) => `${v.toFixed(1)} MiB`,
              )
          : undefined,
        'No memory timeline: profile with --memory-interval 100.',
      ),
      this.card(
        'storm',
        'Start storm',
        'Total time of N sequential starts.',
        storms.length
          ? (t) =>
              lineChart(
                t,
                theme,
                result.targets
                  .map((x) => ({
                    name: x.label,
                    points: storms
                      .filter((s) => s.target === x.id)
                      .map((s) => [s.count, s.totalMs / 1000] as [number, number]),
                  }))
                  .filter((l) => l.points.length),
                'sequential starts',
                'total (s)',
                wholeTicks,
                (v) => `${v.toFixed(2)} s`,
                Math.max(...storms.map((s) => s.count)) >= 100,
              )
          : undefined,
        'No start storm: profile with --storm 1,10,100.',
      ),
      this.card(
        'density-per-instance',
        'Density: memory per instance',
        'Memory per live instance with N running together (processes: RSS; containers: cgroup).',
        density.length
          ? (t) =>
              lineChart(
                t,
                theme,
                result.targets
                  .map((x) => ({
                    name: x.label,
                    points: density
                      .filter((d) => d.target === x.id && d.measured > 0)
                      .map((d) => [d.instances, d.perInstanceRssKb / 1024] as [number, number]),
                  }))
                  .filter((l) => l.points.length),
                'instances',
                'per instance (MiB)',
                wholeTicks,
                (v) => `${v.toFixed(2)} MiB`,
              )
          : undefined,
        'No density scenario: profile with --density 10,100.',
      ),
      this.card(
        'density-total',
        'Density: total memory',
        'Memory of all N instances together.',
        density.length
          ? (t) =>
              lineChart(
                t,
                theme,
                result.targets
                  .map((x) => ({
                    name: x.label,
                    points: density
                      .filter((d) => d.target === x.id && d.measured > 0)
                      .map((d) => [d.instances, d.totalRssKb / 1024] as [number, number]),
                  }))
                  .filter((l) => l.points.length),
                'instances',
                'total (MiB)',
                wholeTicks,
                mib,
              )
          : undefined,
        'No density scenario.',
      ),
    );
    // legends for the custom-drawn charts
    const legend = el(
      'p',
      { class: 'legend' },
      ...result.targets.map((t, i) => {
        const swatch = el('i', { 'aria-hidden': 'true' });
        swatch.style.background = theme.series[i % theme.series.length];
        return el('span', { class: 'key' }, swatch, t.label);
      }),
    );
    return el(
      'section',
      { 'aria-labelledby': 'charts-title' },
      el('h2', { id: 'charts-title' }, 'Charts'),
      legend,
      grid,
    );
  }

  private warnings(result: ProfileResult): HTMLElement | string {
    const list = [...warningsOf(result), ...scenarioErrors(result)];
    if (list.length === 0) return '';
    return el(
      'section',
      { class: 'warnings', 'aria-labelledby': 'warnings-title' },
      el('h2', { id: 'warnings-title' }, 'Warnings'),
      el('ul', {}, ...list.map((w) => el('li', {}, w))),
    );
  }

  private runsSection(): HTMLElement {
    const runs = this.state.runs;
    const section = el(
      'section',
      { 'aria-labelledby': 'runs-title' },
      el('h2', { id: 'runs-title' }, 'Runs history'),
    );
    if (runs.length === 0) {
      section.append(
        el(
          'p',
          { class: 'muted' },
          this.host.standalone
            ? 'A standalone report holds one run.'
            : 'No stored runs in .wasm-containers/runs yet.',
        ),
      );
      return section;
    }
    let baseline = runs[1]?.file;
    let current = runs[0]?.file;
    const radio = (name: string, file: string, checked: boolean, set: (f: string) => void) => {
      const input = el('input', { type: 'radio', name, 'aria-label': `${name} ${file}` });
      input.checked = checked;
      input.addEventListener('change', () => set(file));
      return input;
    };
    const rows = runs.map((r) =>
      el(
        'tr',
        {},
        el(
          'td',
          {},
          radio('baseline', r.file, r.file === baseline, (f) => {
            baseline = f;
          }),
        ),
        el(
          'td',
          {},
          radio('current', r.file, r.file === current, (f) => {
            current = f;
          }),
        ),
        el('th', { scope: 'row' }, r.name),
        el('td', {}, new Date(r.startedAt).toLocaleString()),
        el('td', {}, r.status),
        el('td', {}, r.targets.join(', ')),
        el(
          'td',
          {},
          this.button('Open', () => this.host.post({ type: 'openRun', file: r.file }), {
            secondary: '',
          }),
        ),
      ),
    );
    section.append(
      el(
        'table',
        { class: 'data', id: 'runs' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Baseline', 'Current', 'Run', 'Started', 'Status', 'Targets', ''].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    );
    if (!this.host.standalone && runs.length > 1) {
      section.append(
        el(
          'div',
          { class: 'toolbar' },
          this.button(
            'Compare',
            () => {
              if (baseline && current)
                this.host.post({ type: 'compare', baselineFile: baseline, currentFile: current });
            },
            { id: 'compare' },
          ),
        ),
      );
    }
    if (this.state.baseline && this.state.result) {
      const cmp = compareWithBaseline(this.state.result, this.state.baseline, 10);
      section.append(
        el(
          'h3',
          {},
          `Compared with ${this.state.baseline.settings.name ?? this.state.baseline.id} (cold-start medians; within ±10 % is the same; beyond it, a verdict only when the 95 % interval agrees)`,
        ),
        el(
          'table',
          { class: 'data', id: 'deltas' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Target', 'Baseline', 'Current', 'Ratio (95 % CI)', 'Verdict'].map((h) =>
                el('th', { scope: 'col' }, h),
              ),
            ),
          ),
          el(
            'tbody',
            {},
            ...cmp.rows.map((r) =>
              el(
                'tr',
                {},
                el('th', { scope: 'row' }, r.target),
                el('td', { class: 'num' }, formatMs(r.baselineMedianMs)),
                el('td', { class: 'num' }, formatMs(r.currentMedianMs)),
                el(
                  'td',
                  { class: 'num' },
                  `${formatRatio(r.ratio.ratio)}${Number.isFinite(r.ratio.low) ? ` (${formatRatio(r.ratio.low)} – ${formatRatio(r.ratio.high)})` : ''}`,
                ),
                el('td', { class: `verdict-${r.verdict}` }, r.verdict),
              ),
            ),
          ),
        ),
      );
    }
    return section;
  }
}
