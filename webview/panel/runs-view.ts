/** The stored runs: open one, or pick two and compare them. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { formatMs, formatRatio } from '../../src/core/format';
import { compareWithBaseline } from '../../src/core/profile/baseline';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import type { FromWebview, RunEntry } from '../../src/shared/webview-protocol';
import { custom, el } from './dom';

function button(
  label: string,
  onClick: () => void,
  attrs: Record<string, string> = {},
): HTMLElement {
  const b = custom('vscode-button', attrs, label);
  b.addEventListener('click', onClick);
  return b;
}

function deltas(current: ProfileResult, baseline: ProfileResult): HTMLElement[] {
  const cmp = compareWithBaseline(current, baseline, 10);
  const rows = cmp.rows.map((r) =>
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
  );
  return [
    el(
      'h3',
      {},
      `Compared with ${baseline.settings.name ?? baseline.id} (cold-start medians; within ±10 % is the same; beyond it, a verdict only when the 95 % interval agrees)`,
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
      el('tbody', {}, ...rows),
    ),
  ];
}

export function runsSection(
  runs: RunEntry[],
  post: ((m: FromWebview) => void) | undefined,
  compared?: { current: ProfileResult; baseline: ProfileResult },
): HTMLElement {
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
        post
          ? 'No stored runs in .wasm-containers/runs yet.'
          : 'A standalone report holds one run.',
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
        radio('baseline', r.file, r.file === baseline, (f) => (baseline = f)),
      ),
      el(
        'td',
        {},
        radio('current', r.file, r.file === current, (f) => (current = f)),
      ),
      el('th', { scope: 'row' }, r.name),
      el('td', {}, new Date(r.startedAt).toLocaleString()),
      el('td', {}, r.status),
      el('td', {}, r.targets.join(', ')),
      el(
        'td',
        {},
        post
          ? button('Open', () => post({ type: 'openRun', file: r.file }), { secondary: '' })
          : '',
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
  if (post && runs.length > 1)
    section.append(
      el(
        'div',
        { class: 'toolbar' },
        button(
          'Compare',
          () => {
            if (baseline && current)
              post({ type: 'compare', baselineFile: baseline, currentFile: current });
          },
          { id: 'compare' },
        ),
      ),
    );
  if (compared) section.append(...deltas(compared.current, compared.baseline));
  return section;
}
