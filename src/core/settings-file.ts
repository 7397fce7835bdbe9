import { readFileSync } from 'node:fs';

/**
 * Parses a settings file as editors write it: JSON with comments and trailing commas. Undefined
 * when the file is missing or not an object.
 */
export function readSettingsFile(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(stripJsonc(text));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** JSON with comments → JSON: comments and trailing commas removed, strings left as they are. */
export function stripJsonc(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export interface IgnoredSetting {
  key: string;
  /** The value the settings file gives it. */
  value: unknown;
}

/**
 * The settings `file` sets that this window does not apply (its effective value differs): machine
 * settings in a user settings file the remote side does not read.
 */
export function ignoredSettings(
  file: Record<string, unknown> | undefined,
  keys: readonly string[],
  effective: (key: string) => unknown,
): IgnoredSetting[] {
  if (!file) return [];
  return keys
    .filter((key) => key in file && JSON.stringify(file[key]) !== JSON.stringify(effective(key)))
    .map((key) => ({ key, value: file[key] }));
}
