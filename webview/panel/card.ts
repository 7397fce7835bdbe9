/**
 * A chart card: title, a log/linear switch when the values span more than LOG_SPAN×, Save PNG, the
 * chart, and a caption — or, for a scenario the profile did not measure, what would measure it.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { Chart } from './charts/axis';
import { custom, el } from './dom';

export interface CardSpec {
  id: string;
  title: string;
  caption: string;
  /** Draws the chart at a width, on a log scale or not; undefined when there is nothing to draw. */
  draw?: (width: number, log: boolean) => Chart;
  /** The values decide the default scale; absent: no switch (stacked bars, counts). */
  logByDefault?: boolean;
  /** Keys above the chart (parts of grouped bars, series of lines). */
  legend?: HTMLElement;
  /** Shown instead of a chart. */
  empty?: { text: string; action?: HTMLElement };
}

export interface CardHost {
  /** The reader's choice of scale per card, kept across re-renders. */
  logChoice: Map<string, boolean>;
  savePng(id: string, png: string): void;
  /** Cards are drawn once in the document, so that they know their width. */
  afterAttach(draw: () => void): void;
}

function checkbox(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLElement {
  const box = custom(
    'vscode-checkbox',
    checked ? { checked: '', class: 'log-switch' } : { class: 'log-switch' },
    label,
  );
  box.addEventListener('change', () => onChange((box as unknown as { checked: boolean }).checked));
  return box;
}

export function card(spec: CardSpec, host: CardHost): HTMLElement {
  const body = el('div', { class: 'chart', id: `chart-${spec.id}` });
  const figcaption = el('figcaption', {}, el('h3', {}, spec.title));
  const node = el('figure', { class: 'card', id: `card-${spec.id}` }, figcaption);
  if (!spec.draw) {
    node.classList.add('empty');
    node.append(el('p', { class: 'muted caption' }, spec.empty?.text ?? 'Not measured.'));
    if (spec.empty?.action) node.append(spec.empty.action);
    return node;
  }
  const draw = spec.draw;
  let chart: Chart | undefined;
  const log = () => host.logChoice.get(spec.id) ?? spec.logByDefault ?? false;
  const redraw = () => {
    chart = draw(Math.max(320, Math.floor(body.clientWidth || 600)), log());
    body.replaceChildren(chart.svg);
  };
  const tools = el('div', { class: 'card-tools' });
  if (spec.logByDefault !== undefined)
    tools.append(
      checkbox('Log scale', log(), (checked) => {
        host.logChoice.set(spec.id, checked);
        redraw();
      }),
    );
  const save = custom('vscode-button', { secondary: '', class: 'save' }, 'Save PNG');
  save.addEventListener('click', () => {
    if (chart) void chart.png().then((png) => host.savePng(spec.id, png));
  });
  tools.append(save);
  figcaption.append(tools);
  node.append(
    ...(spec.legend ? [spec.legend] : []),
    body,
    el('p', { class: 'muted caption' }, spec.caption),
  );
  host.afterAttach(redraw);
  return node;
}
