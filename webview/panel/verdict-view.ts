/** The verdict section: one coloured sentence per comparison, against a reference the reader picks. */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { subjectNames, verdictWords } from '../../src/core/profile/report-verdict';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import { defaultReference, verdictsOf } from '../../src/core/profile/verdict';
import { custom, el } from './dom';

/** What the panel says when there is nothing to compare with. */
function nothingToCompare(result: ProfileResult): HTMLElement {
  const only = result.targets[0];
  const hint =
    only?.runs === 'wasm'
      ? ' Build the native twin beside the module (the same name without .wasm, for example with gcc -static) and profile again, or add targets to a profile spec.'
      : ' Add a target to compare with in a profile spec.';
  return el(
    'p',
    { class: 'notice', id: 'nothing-to-compare' },
    only
      ? `Nothing to compare: only ${only.label} was measured.${hint}`
      : 'No target was measured.',
  );
}

export function verdictSection(
  result: ProfileResult,
  referenceId: string | undefined,
  onReference: (id: string) => void,
): HTMLElement {
  const section = el('section', { id: 'verdict', 'aria-labelledby': 'verdict-title' });
  const reference = defaultReference(result, referenceId);
  const head = el('div', { class: 'section-head' }, el('h2', { id: 'verdict-title' }, 'Verdict'));
  section.append(head);
  if (!reference) {
    section.append(nothingToCompare(result));
    return section;
  }
  const select = custom(
    'vscode-single-select',
    { id: 'reference', 'aria-label': 'Compared with' },
    ...result.targets.map((t) =>
      custom(
        'vscode-option',
        t === reference ? { value: t.id, selected: '' } : { value: t.id },
        t.label,
      ),
    ),
  );
  select.addEventListener('change', () =>
    onReference((select as unknown as { value: string }).value),
  );
  head.append(el('label', { class: 'inline' }, 'compared with ', select));

  const names = subjectNames(result.targets);
  const list = el('ul', { class: 'verdicts' });
  for (const v of verdictsOf(result, reference.id)) {
    const words = verdictWords(v, names);
    const item = el('li', { class: 'verdict', 'data-target': v.target.id });
    item.append(el('strong', {}, words.subject), ': ');
    words.parts.forEach((p, i) => {
      if (i > 0) item.append(' · ');
      item.append(el('span', { class: `judgement ${p.judgement}`, title: p.judgement }, p.text));
    });
    list.append(item);
  }
  section.append(
    list,
    el(
      'p',
      { class: 'muted caption' },
      'Ratios of medians with 95 % bootstrap intervals. Green: better, red: worse, amber: the interval does not decide; "about the same" when the whole interval lies within ±5 %.',
    ),
  );
  return section;
}
