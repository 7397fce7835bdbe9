/**
 * The profiling panel (and the standalone report): the verdict first, then the figures, the charts,
 * the warnings and the runs history. Each section is built by its own module from the state.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { measurementNotes, warningsOf } from '../../src/core/profile/report-notes';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import type { ExportFormat, FromWebview, PanelState } from '../../src/shared/webview-protocol';
import { chartsSection } from './charts-section';
import { hideTip } from './charts/tooltip';
import { custom, el } from './dom';
import { overviewSection } from './overview';
import { runsSection } from './runs-view';
import { verdictSection } from './verdict-view';

export interface Host {
  post(message: FromWebview): void;
  standalone: boolean;
  /** Standalone report: offer a file for download instead of asking the extension. */
  download?(format: ExportFormat | 'png', name: string, content: string): void;
}

export class PanelApp {
  private state: PanelState = { runs: [], live: false };
  private referenceId: string | undefined;
  /** Log or linear, per chart, as the reader last chose. */
  private readonly logChoice = new Map<string, boolean>();
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
    hideTip();
    this.root.replaceChildren();
    const { result } = this.state;
    const post = this.host.standalone ? undefined : (m: FromWebview) => this.host.post(m);
    const compared =
      this.state.baseline && result
        ? { current: result, baseline: this.state.baseline }
        : undefined;
    if (!result) {
      this.root.append(this.emptyNotice(), runsSection(this.state.runs, post));
      return performance.now() - t0;
    }
    this.root.append(
      this.header(result),
      verdictSection(result, this.referenceId, (id) => {
        this.referenceId = id;
        this.render();
      }),
      overviewSection(result),
      chartsSection(result, {
        logChoice: this.logChoice,
        afterAttach: (draw) => this.pendingDraws.push(draw),
        savePng: (id, png) => this.savePng(id, png),
        addScenario: post ? (scenario) => post({ type: 'addScenario', scenario }) : undefined,
      }),
      this.warnings(result),
      runsSection(this.state.runs, post, compared),
    );
    for (const draw of this.pendingDraws.splice(0)) draw();
    const ms = performance.now() - t0;
    document.body.dataset.renderMs = ms.toFixed(1);
    return ms;
  }

  private emptyNotice(): HTMLElement {
    return el(
      'p',
      { class: 'muted', id: 'empty' },
      this.state.live
        ? 'Profiling… the first samples will appear here.'
        : 'No profile yet: run "Wasm Containers: Profile Against Native" on a .wasm file, or open a stored run below.',
    );
  }

  private savePng(id: string, png: string): void {
    if (this.host.standalone) this.host.download?.('png', `${id}.png`, png);
    else this.host.post({ type: 'saveChart', name: id, pngDataUrl: png });
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

  private toolbar(): HTMLElement {
    const secondary = { secondary: '' };
    const inEditor = !this.host.standalone;
    return el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Export' },
      this.state.live && inEditor
        ? this.button('Cancel', () => this.host.post({ type: 'cancel' }), {
            id: 'cancel',
            secondary: '',
          })
        : undefined,
      this.button('Export JSON', () => this.exportAs('json'), secondary),
      this.button('Export CSV', () => this.exportAs('csv'), secondary),
      this.button('Export Markdown', () => this.exportAs('markdown'), secondary),
      inEditor ? this.button('Export HTML', () => this.exportAs('html'), secondary) : undefined,
      inEditor
        ? this.button('Open Raw JSON', () => this.host.post({ type: 'openRaw' }), secondary)
        : undefined,
    );
  }

  private header(result: ProfileResult): HTMLElement {
    const env = result.environment;
    const s = result.settings;
    const status = this.state.live ? 'running' : result.status;
    const runs = s.coldStart
      ? `${s.runs} measured runs per target after ${s.warmup} warmup, ${s.order}`
      : 'scenarios only';
    const meta = [
      runs,
      `${env.cpuModel} ×${env.cpuCount}`,
      `${env.platform} ${env.kernel}`,
      ...measurementNotes(result),
      new Date(result.startedAt).toLocaleString(),
    ].join(' · ');
    return el(
      'header',
      {},
      el('h1', {}, s.name ?? 'Profile'),
      el(
        'p',
        { class: 'meta' },
        el('span', { class: `badge status-${status}`, id: 'status' }, status),
        ' ',
        meta,
      ),
      this.state.live
        ? el(
            'p',
            { id: 'progress', class: 'progress', 'aria-live': 'polite' },
            this.progress || 'starting…',
          )
        : undefined,
      this.toolbar(),
    );
  }

  private warnings(result: ProfileResult): HTMLElement | string {
    const list = warningsOf(result);
    if (list.length === 0) return '';
    return el(
      'section',
      { class: 'warnings', 'aria-labelledby': 'warnings-title' },
      el('h2', { id: 'warnings-title' }, 'Warnings'),
      el('ul', {}, ...list.map((w) => el('li', {}, w))),
    );
  }
}
