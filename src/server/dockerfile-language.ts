import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Position,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, LensCommands } from '../shared/lsp-protocol';
import { analyzeDockerfile, stagesOf } from './dockerfile-analysis';
import { wasmPathsOnLine, type Finding, type Fix } from './dockerfile-checks';
import { describeModule } from './module-facts';

const severities = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

const fsPathOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);

export function dockerfileDiagnostics(doc: TextDocument): Diagnostic[] {
  return analyzeDockerfile(doc.getText(), fsPathOf(doc.uri)).map((f: Finding) => ({
    range: {
      start: { line: f.line, character: f.start },
      end: { line: f.endLine ?? f.line, character: f.end },
    },
    severity: severities[f.severity],
    code: f.code,
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data: f.fixes ?? (f.fix ? [f.fix] : undefined),
  }));
}

export function dockerfileCodeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  return diagnostics
    .filter((d) => d.source === DIAGNOSTIC_SOURCE && Array.isArray(d.data))
    .flatMap((d) =>
      (d.data as Fix[])
        .filter((fix) => Array.isArray(fix?.edits))
        .map((fix, _i, all) => ({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          // one fix is the one to apply; among several, the user chooses
          isPreferred: all.length === 1,
          edit: {
            changes: {
              [uri]: fix.edits.map((e) => ({
                range: {
                  start: { line: e.startLine, character: e.startChar },
                  end: { line: e.endLine, character: e.endChar },
                },
                newText: e.newText,
              })),
            },
          },
        })),
    );
}

/** What a hover says about a module named in a Dockerfile, resolved against the Dockerfile's folder. */
export function describeModuleFile(dockerfileUri: string, relative: string): string {
  const dockerfile = fsPathOf(dockerfileUri);
  if (!dockerfile) return `\`${relative}\``;
  const file = path.resolve(path.dirname(dockerfile), relative.replace(/^\//, ''));
  try {
    statSync(file);
  } catch {
    return `\`${relative}\`: not found next to the Dockerfile (${file}).`;
  }
  return describeModule(file);
}

const KEYWORDS: Record<string, string> = {
  FROM: "Starts a stage. A Wasm image is `FROM scratch` with `--platform=wasi/wasm` (Docker's convention; `wasip1/wasm`, `wasip2/wasm` are the spec-aligned forms).",
  COPY: 'Copies files from the build context. In a Wasm image: the module (and any files it reads).',
  ADD: 'Like COPY, and also fetches URLs and unpacks archives; prefer COPY for a module.',
  ENTRYPOINT:
    'What the container runs. In a Wasm image: the module, in exec form (`["/app.wasm", "arg"]`) — there is no shell.',
  CMD: 'Default arguments after the ENTRYPOINT (exec form in a Wasm image).',
  ENV: 'Environment variables: Wasm runtimes pass them to the module through WASI.',
  WORKDIR: 'The working directory; Wasm runtimes preopen what is mapped, not the whole filesystem.',
  LABEL: "Metadata. `module.wasm.image/variant=compat` marks images for crun's Wasm handlers.",
  ARG: 'A build-time variable.',
  EXPOSE: 'Documents a listening port. A WASI preview1 module has no sockets: it cannot listen.',
  RUN: 'Runs a command while building. Not in the final stage of a Wasm image: it has no shell.',
  USER: 'The user to run as. A Wasm image has no users.',
  SHELL: 'The shell for shell-form instructions. A Wasm image has no shell.',
  HEALTHCHECK: 'A command the engine runs inside the container. A Wasm image has none to run.',
  VOLUME: 'A mount point; Wasm runtimes see only the directories mapped into the module.',
  STOPSIGNAL: 'The signal that stops the container.',
  ONBUILD: 'An instruction for images built FROM this one.',
};

export function dockerfileHover(doc: TextDocument, position: Position): Hover | null {
  const line = doc.getText({
    start: { line: position.line, character: 0 },
    end: { line: position.line + 1, character: 0 },
  });
  const hit = wasmPathsOnLine(line).find(
    (p) => position.character >= p.start && position.character <= p.end,
  );
  if (hit) {
    return {
      contents: { kind: 'markdown', value: describeModuleFile(doc.uri, hit.path) },
      range: {
        start: { line: position.line, character: hit.start },
        end: { line: position.line, character: hit.end },
      },
    };
  }
  const keyword = /^(\s*)([A-Za-z]+)/.exec(line);
  if (
    keyword &&
    position.character >= keyword[1].length &&
    position.character <= keyword[1].length + keyword[2].length
  ) {
    const doc = KEYWORDS[keyword[2].toUpperCase()];
    if (doc)
      return {
        contents: { kind: 'markdown', value: `**${keyword[2].toUpperCase()}**: ${doc}` },
        range: {
          start: { line: position.line, character: keyword[1].length },
          end: { line: position.line, character: keyword[1].length + keyword[2].length },
        },
      };
  }
  return null;
}

const PLATFORMS: Array<[string, string]> = [
  ['wasi/wasm', "Docker's platform for Wasm images (runwasi shims, Docker Desktop)"],
  ['wasip1/wasm', 'WASI preview1, spec-aligned'],
  ['wasip2/wasm', 'WASI preview2 components, spec-aligned'],
  ['linux/amd64', 'the native counterpart (x86-64)'],
  ['linux/arm64', 'the native counterpart (ARM64)'],
];
const RUNTIMES: Array<[string, string]> = [
  ['io.containerd.wasmtime.v1', 'runwasi shim for wasmtime'],
  ['io.containerd.wasmedge.v1', 'runwasi shim for WasmEdge'],
  ['io.containerd.wasmer.v1', 'runwasi shim for Wasmer'],
  ['io.containerd.spin.v2', 'Spin shim'],
  ['crun', 'crun (with a Wasm handler)'],
];

export function dockerfileCompletions(doc: TextDocument, position: Position): CompletionItem[] {
  const before = doc.getText({ start: { line: position.line, character: 0 }, end: position });
  if (/--platform=[\w/]*$/.test(before))
    return PLATFORMS.map(([label, detail]) => ({
      label,
      detail,
      kind: CompletionItemKind.EnumMember,
    }));
  if (/(runtime|--runtime)[=\s]["']?[\w.-]*$/i.test(before))
    return RUNTIMES.map(([label, detail]) => ({ label, detail, kind: CompletionItemKind.Value }));
  if (/^\s*LABEL\s+[\w./-]*$/i.test(before))
    return [
      {
        label: 'module.wasm.image/variant=compat',
        detail: "marks the image for crun's Wasm handlers",
        kind: CompletionItemKind.Property,
      },
    ];
  if (/^\s*[A-Za-z]*$/.test(before))
    return Object.entries(KEYWORDS).map(([label, detail]) => ({
      label,
      detail: detail.replace(/`/g, ''),
      kind: CompletionItemKind.Keyword,
    }));
  return [];
}

/** Build, Run, Profile against native and Profile across Wasm runtimes above the FROM of a Wasm stage. */
export function dockerfileCodeLenses(doc: TextDocument): CodeLens[] {
  let stages: ReturnType<typeof stagesOf>;
  try {
    stages = stagesOf(doc.getText());
  } catch {
    return [];
  }
  const final = stages.at(-1);
  if (!final?.wasmReason) return [];
  const range = final.from.getRange();
  const lens = (title: string, command: string): CodeLens => ({
    range,
    command: { title, command, arguments: [doc.uri] },
  });
  return [
    lens('$(package) Build', LensCommands.build),
    lens('$(play) Run', LensCommands.run),
    lens('$(graph) Profile against native', LensCommands.profile),
    lens('$(graph) Profile across Wasm runtimes', LensCommands.profileAcross),
  ];
}
