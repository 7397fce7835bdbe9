import { DiagnosticCodes, type DiagnosticCode } from '../shared/lsp-protocol';

/** A finding on one line of a Dockerfile, independent of the LSP types so it can be unit-tested. */
export interface TextEdit {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  newText: string;
}

export interface Finding {
  line: number;
  start: number;
  /** Last line of the range (default: `line`). */
  endLine?: number;
  end: number;
  severity: 'error' | 'warning' | 'information';
  code: DiagnosticCode;
  message: string;
  /** The quick fix, when there is one. */
  fix?: Fix;
  /** Several quick fixes to choose from (e.g. one per module the image copies). */
  fixes?: Fix[];
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

const PLATFORM = /--platform=(\S+)|(?:^|\s)platform\s*[:=]\s*["']?([\w/.-]+)/gi;

/**
 * Line-level checks that need no parser: `wasm32` in a platform (Docker's platform for Wasm is
 * wasi/wasm; wasm32 fails with "no match for platform in manifest").
 */
export function checkDockerfileText(text: string): Finding[] {
  const findings: Finding[] = [];
  text.split(/\r?\n/).forEach((content, line) => {
    if (/^\s*#/.test(content)) return;
    for (const match of content.matchAll(PLATFORM)) {
      const value = match[1] ?? match[2];
      const at = match.index + match[0].indexOf(value);
      const wasm32 = /\bwasm32\b/.exec(value);
      if (wasm32) {
        findings.push({
          line,
          start: at + wasm32.index,
          end: at + wasm32.index + 'wasm32'.length,
          severity: 'error',
          code: DiagnosticCodes.platformWasm32,
          message: `'${value}' will not resolve: the architecture of Wasm images is 'wasm', not 'wasm32' (use ${value.replace(/\bwasm32\b/, 'wasm')}).`,
          fix: {
            title: "Replace with 'wasm'",
            edits: [
              {
                startLine: line,
                startChar: at + wasm32.index,
                endLine: line,
                endChar: at + wasm32.index + 'wasm32'.length,
                newText: 'wasm',
              },
            ],
          },
        });
      }
    }
  });
  return findings;
}

/** `.wasm` paths that COPY/ADD sources and ENTRYPOINT/CMD name, with their positions. */
export function wasmPathsOnLine(
  content: string,
): Array<{ path: string; start: number; end: number }> {
  if (!/^\s*(COPY|ADD|ENTRYPOINT|CMD)\b/i.test(content)) return [];
  return [...content.matchAll(/[\w./@+-]+\.wasm\b/g)].map((m) => ({
    path: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}
