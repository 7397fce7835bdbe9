/**
 * The verdict in words: one sentence per comparison, the same in the terminal, the Markdown report,
 * the panel and the standalone HTML report —
 *   "Wasm under wasmtime: image 9× smaller · starts 3.1× slower (95 % CI 2.8–3.4×) · 12× more memory than native"
 * Each part keeps its judgement so that a front end can colour it.
 */
import type { TargetResult } from './result-schema';
import type { Fact, Judgement, Verdict } from './verdict';
import { parseEngineRuntimeId } from '../engines/runtime-ids';

export interface VerdictPart {
  text: string;
  judgement: Judgement;
}

export interface VerdictWords {
  subject: string;
  parts: VerdictPart[];
  sentence: string;
}

/** 9×, 3.1×, 1.04×, 12×: two significant digits (three just above 1, where they matter), or more when asked. */
export function formatFactor(x: number, significant?: number): string {
  if (!Number.isFinite(x)) return '–';
  const digits = significant ?? (x >= 1 && x < 2 ? 3 : 2);
  if (x >= 10 ** digits) return `${Math.round(x)}×`;
  // 9.0 → 9 where two digits are plenty; asked-for digits and 1.00 keep their zeros (how exact)
  const text = x.toPrecision(digits);
  return `${x >= 2 && significant === undefined ? Number(text).toString() : text}×`;
}

/** Two bounds "2.8–3.4×", with more digits when fewer would print them alike ("67.9–68.4×"). */
function range(low: number, high: number): string {
  const start = low >= 0.5 && high < 2 ? 3 : 2;
  let text = '';
  for (let digits = start; digits <= start + 2; digits++) {
    const a = formatFactor(low, digits);
    const b = formatFactor(high, digits);
    text = `${a.slice(0, -1)}–${b}`;
    if (a !== b) break;
  }
  return text;
}

function runtimeName(runtime: string): string {
  if (runtime === 'node-wasi') return 'Node WASI';
  const engine = parseEngineRuntimeId(runtime);
  if (engine) return `${engine.runtime} (${engine.engineName})`;
  const aot = /^(.+)-aot$/.exec(runtime);
  return aot ? `${aot[1]} (AOT)` : runtime;
}

/** What a target is, by its role: "Wasm under wasmtime", "native", "native under runc (Docker)". */
export function roleName(t: Pick<TargetResult, 'runs' | 'runtime'>): string {
  if (t.runs === 'native')
    return t.runtime === 'process' ? 'native' : `native under ${runtimeName(t.runtime)}`;
  return `Wasm under ${runtimeName(t.runtime)}`;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The interval in the direction the words read ("3.1× faster (95 % CI 2.8–3.4×)"). */
function interval(f: Fact): string | undefined {
  if (f.low === undefined || f.high === undefined) {
    return f.n && f.judgement === 'inconclusive'
      ? `${formatFactor(f.ratio)}, too few runs for an interval`
      : undefined;
  }
  if (f.judgement === 'better') return `95 % CI ${range(1 / f.high, 1 / f.low)}`;
  if (f.judgement === 'worse') return `95 % CI ${range(f.low, f.high)}`;
  return `${formatFactor(f.ratio)}, 95 % CI ${range(f.low, f.high)}`;
}

/** The words of one fact, and the word that joins it to the reference when it ends the sentence. */
function phrase(f: Fact, t: TargetResult): { text: string; join: string } {
  const factor = formatFactor(f.ratio >= 1 ? f.ratio : 1 / f.ratio);
  const join = { better: 'than', worse: 'than', same: 'as', inconclusive: 'compared with' }[
    f.judgement
  ];
  const words: Record<Fact['metric'], Record<Judgement, string>> = {
    image: {
      better: `image ${factor} smaller`,
      worse: `image ${factor} larger`,
      same: 'image about the same size',
      inconclusive: 'image size unknown',
    },
    size: {
      better: `${t.runs === 'wasm' ? 'module' : 'binary'} ${factor} smaller`,
      worse: `${t.runs === 'wasm' ? 'module' : 'binary'} ${factor} larger`,
      same: `${t.runs === 'wasm' ? 'module' : 'binary'} about the same size`,
      inconclusive: 'size unknown',
    },
    coldStart: {
      better: `starts ${factor} faster`,
      worse: `starts ${factor} slower`,
      same: 'starts about as fast',
      inconclusive: 'no clear difference in start time',
    },
    memory: {
      better: `${factor} less memory`,
      worse: `${factor} more memory`,
      same: 'about as much memory',
      inconclusive: 'no clear difference in memory',
    },
  };
  return { text: words[f.metric][f.judgement], join };
}

/** Subject names by role; targets that share a role (two modules under one runtime) keep their labels. */
export function subjectNames(targets: TargetResult[]): Map<TargetResult, string> {
  const names = new Map(targets.map((t) => [t, roleName(t)]));
  const counts = new Map<string, number>();
  for (const n of names.values()) counts.set(n, (counts.get(n) ?? 0) + 1);
  for (const [t, n] of names) if ((counts.get(n) ?? 0) > 1) names.set(t, t.label);
  return names;
}

export function verdictWords(
  v: Verdict,
  names = subjectNames([v.target, v.reference]),
): VerdictWords {
  const name = names.get(v.target) ?? roleName(v.target);
  const subject = name === roleName(v.target) ? capitalised(name) : name;
  const object = names.get(v.reference) ?? roleName(v.reference);
  const facts = v.noRuns
    ? v.facts.filter((f) => f.metric === 'image' || f.metric === 'size')
    : v.facts;
  const parts: VerdictPart[] = facts.map((f, i) => {
    const { text, join } = phrase(f, v.target);
    const ci = interval(f);
    const last = i === facts.length - 1 && !v.noRuns;
    return {
      text: `${text}${last ? ` ${join} ${object}` : ''}${ci ? ` (${ci})` : ''}`,
      judgement: f.judgement,
    };
  });
  if (v.noRuns)
    parts.push({ text: `no successful run to compare with ${object}`, judgement: 'inconclusive' });
  if (parts.length === 0)
    parts.push({ text: `nothing measured to compare with ${object}`, judgement: 'inconclusive' });
  return { subject, parts, sentence: `${subject}: ${parts.map((p) => p.text).join(' · ')}` };
}
