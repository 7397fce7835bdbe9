import type { Instruction } from 'dockerfile-ast';

/**
 * The strings of an exec-form (JSON array) instruction — ENTRYPOINT, CMD, COPY, ADD — parsed from
 * its text: dockerfile-ast's getJSONValue() drops the spaces inside the strings ("a b.wasm" →
 * "ab.wasm"). undefined when the arguments are not a JSON array of strings.
 */
export function jsonForm(ins: Instruction): string[] | undefined {
  // flags (COPY --chmod=755 [...]) come before the array
  const text = (ins.getArgumentsContent() ?? '')
    .replace(/\\\r?\n/g, '')
    .trim()
    .replace(/^(--\S+\s+)+/, '');
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((s) => typeof s === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface Operand {
  value: string;
  /** Where it is in the document (the instruction's range for JSON strings not found verbatim). */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** The sources and destination of COPY/ADD, in either form, flags left out. */
export function copyOperands(ins: Instruction): Operand[] {
  const json = jsonForm(ins);
  if (!json)
    return ins
      .getArguments()
      .filter((a) => !a.getValue().startsWith('--'))
      .map((a) => ({ value: a.getValue(), range: a.getRange() }));
  const args = ins.getArgumentsRange() ?? ins.getRange();
  return json.map((value) => ({ value, range: args }));
}
