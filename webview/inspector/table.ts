import { custom, el } from '../panel/dom';

export interface Column<T> {
  label: string;
  value: (row: T) => string | number;
  /** Text shown (default: the value). */
  text?: (row: T) => string;
  numeric?: boolean;
}

export interface TableOptions<T> {
  /** Rows shown before "Show more" (tables of 20 000 functions stay fast). */
  pageSize?: number;
  onRowClick?: (row: T) => void;
  /** Initial sort: column index, descending. */
  sortBy?: [number, boolean];
  caption?: string;
}

/**
 * A table that sorts on a header click and grows by pages. Cells are text nodes only: names
 * taken from a module are never interpreted as HTML.
 */
export function sortableTable<T>(
  columns: Column<T>[],
  rows: T[],
  options: TableOptions<T> = {},
): HTMLElement {
  const pageSize = options.pageSize ?? 200;
  let [sortColumn, descending] = options.sortBy ?? [-1, false];
  let shown = pageSize;
  const wrap = el('div', { class: 'table-wrap' });
  const render = () => {
    const sorted =
      sortColumn < 0
        ? rows
        : [...rows].sort((a, b) => {
            const x = columns[sortColumn].value(a);
            const y = columns[sortColumn].value(b);
            const c =
              typeof x === 'number' && typeof y === 'number'
                ? x - y
                : String(x).localeCompare(String(y));
            return descending ? -c : c;
          });
    const head = el(
      'tr',
      {},
      ...columns.map((c, i) => {
        const th = el(
          'th',
          {
            class: c.numeric ? 'num' : '',
            tabindex: '0',
            'aria-sort': i === sortColumn ? (descending ? 'descending' : 'ascending') : 'none',
          },
          c.label,
          i === sortColumn ? (descending ? ' ▼' : ' ▲') : '',
        );
        const sort = () => {
          descending = i === sortColumn ? !descending : !!c.numeric;
          sortColumn = i;
          render();
        };
        th.addEventListener('click', sort);
        th.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && sort());
        return th;
      }),
    );
    const body = el(
      'tbody',
      {},
      ...sorted.slice(0, shown).map((row) => {
        const tr = el(
          'tr',
          options.onRowClick ? { class: 'clickable', tabindex: '0' } : {},
          ...columns.map((c) =>
            el(
              'td',
              c.numeric ? { class: 'num' } : {},
              c.text ? c.text(row) : String(c.value(row)),
            ),
          ),
        );
        if (options.onRowClick) {
          tr.addEventListener('click', () => options.onRowClick!(row));
          tr.addEventListener('keydown', (e) => e.key === 'Enter' && options.onRowClick!(row));
        }
        return tr;
      }),
    );
    const table = el(
      'table',
      { class: 'data' },
      options.caption ? el('caption', {}, options.caption) : undefined,
      el('thead', {}, head),
      body,
    );
    const more =
      sorted.length > shown
        ? custom(
            'vscode-button',
            { class: 'more', secondary: '' },
            `Show ${Math.min(pageSize, sorted.length - shown)} more (${shown} of ${sorted.length} shown)`,
          )
        : undefined;
    more?.addEventListener('click', () => {
      shown += pageSize;
      render();
    });
    wrap.replaceChildren(
      table,
      ...(more ? [more] : []),
      el('div', { class: 'muted count' }, `${sorted.length} rows`),
    );
  };
  render();
  return wrap;
}

/** A search box that re-renders `target` with the rows matching every word typed. */
export function searchable<T>(
  placeholder: string,
  rows: T[],
  text: (row: T) => string,
  render: (rows: T[]) => HTMLElement,
): HTMLElement {
  const input = document.createElement('vscode-textfield') as HTMLElement & { value: string };
  input.setAttribute('placeholder', placeholder);
  input.setAttribute('aria-label', placeholder);
  const holder = el('div', {}, render(rows));
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    holder.replaceChildren(
      render(
        words.length
          ? rows.filter((r) => words.every((w) => text(r).toLowerCase().includes(w)))
          : rows,
      ),
    );
  });
  return el('div', { class: 'searchable' }, input, holder);
}
