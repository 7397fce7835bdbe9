import { decodeWasm } from './decode';
import { readWasmHeader } from './header';
import { coreModules } from './size-breakdown';
import { validateWasm, type ValidationFeatures } from './validate';
import { v8Features } from './v8-features';

/** What Validate says about a file: the first problem with its absolute offset, and how far it checked. */
export interface BinaryValidation {
  valid: boolean;
  error?: { offset: number; message: string };
  /** 'full': every rule checked; 'decoded-only': parts were only decoded (said in `notes`). */
  checked: 'full' | 'decoded-only';
  notes: string[];
  /** The proposals judged valid: those of the V8 this runs on, probed. */
  features: string[];
  ms: number;
}

/**
 * Validates a core module as V8 would (with the proposals this V8 has), or each core module
 * nested in a component — the component's own sections are decoded, not validated: the
 * component model's validation rules are not implemented here, and the result says so.
 */
export function validateBinary(
  bytes: Uint8Array,
  features: ValidationFeatures = v8Features(),
): BinaryValidation {
  const t0 = performance.now();
  const enabled = Object.entries(features)
    .filter(([, on]) => on)
    .map(([k]) => k);
  const done = (v: Omit<BinaryValidation, 'ms' | 'features'>): BinaryValidation => ({
    ...v,
    features: enabled,
    ms: performance.now() - t0,
  });
  let isComponent = false;
  try {
    isComponent = readWasmHeader(bytes).kind === 'component';
  } catch {
    // the core validator names the header problem
  }
  if (!isComponent) {
    const r = validateWasm(bytes, features);
    return done({
      valid: r.valid,
      ...(r.error ? { error: r.error } : {}),
      checked: r.checked,
      notes: r.note ? [r.note] : [],
    });
  }
  const component = decodeWasm(bytes);
  const notes = [
    "a component: its own sections were decoded, not validated (the component model's rules are not checked here); its core modules were validated",
  ];
  if (component.problems.length) {
    const p = component.problems[0];
    return done({
      valid: false,
      error: { offset: p.offset, message: p.message },
      checked: 'decoded-only',
      notes,
    });
  }
  for (const [i, m] of coreModules(component).entries()) {
    const r = validateWasm(bytes.subarray(m.offset, m.offset + m.size), features);
    if (r.note) notes.push(`core module #${i}: ${r.note}`);
    if (!r.valid)
      return done({
        valid: false,
        error: {
          offset: m.offset + r.error!.offset,
          message: `core module #${i} (at byte offset ${m.offset}): ${r.error!.message}`,
        },
        checked: 'decoded-only',
        notes,
      });
  }
  return done({ valid: true, checked: 'decoded-only', notes });
}
