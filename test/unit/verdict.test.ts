import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdownReport } from '../../src/core/profile/report-markdown';
import { warningsOf } from '../../src/core/profile/report-notes';
import { renderTextReport } from '../../src/core/profile/report-text';
import { formatFactor, roleName, verdictWords } from '../../src/core/profile/report-verdict';
import { judgeMeasured, verdictsOf } from '../../src/core/profile/verdict';
import { HELLO_SHAPES, syntheticResult, type TargetShape } from './synthetic-result';

const [wasm, native, wasmtime] = HELLO_SHAPES;

describe('the verdict', () => {
  it('says who wins in plain words, with direction and confidence', () => {
    const result = syntheticResult([wasm, native]);
    const [v] = verdictsOf(result);
    assert.deepEqual(
      v.facts.map((f) => [f.metric, f.judgement]),
      [
        ['image', 'better'],
        ['coldStart', 'worse'],
        ['memory', 'worse'],
      ],
    );
    const words = verdictWords(v);
    assert.match(
      words.sentence,
      /^Wasm under Node WASI: image 23× smaller · starts \d+× slower \(95 % CI \d+–\d+×\) · \d+× more memory than native \(95 % CI [\d.]+–[\d.]+×\)$/,
    );
    assert.deepEqual(
      words.parts.map((p) => p.judgement),
      ['better', 'worse', 'worse'],
    );
  });

  it('reads the other way round against another reference', () => {
    const result = syntheticResult([wasm, native]);
    const [v] = verdictsOf(result, 'wasm-node-wasi');
    assert.equal(v.target.id, 'native-process');
    assert.match(
      verdictWords(v).sentence,
      /^Native: image 23× larger · starts \d+× faster \(95 % CI \d+–\d+×\) · \d+× less memory than Wasm under Node WASI/,
    );
  });

  it('judges by the interval: the same within ±5 %, inconclusive when it straddles 1', () => {
    assert.equal(judgeMeasured({ ratio: 1.01, low: 0.98, high: 1.03 }), 'same');
    assert.equal(judgeMeasured({ ratio: 1.3, low: 0.9, high: 1.8 }), 'inconclusive');
    assert.equal(judgeMeasured({ ratio: 1.3, low: 1.1, high: 1.5 }), 'worse');
    assert.equal(judgeMeasured({ ratio: 0.5, low: 0.4, high: 0.6 }), 'better');
    assert.equal(judgeMeasured({ ratio: 3, low: NaN, high: NaN }), 'inconclusive');

    const twin: TargetShape = { ...wasm, id: 'again', runtime: 'wasmtime', spread: 0.01 };
    const same = verdictsOf(
      syntheticResult([{ ...wasm, spread: 0.01 }, twin], { reference: 'wasm-node-wasi' }),
    );
    assert.match(
      verdictWords(same[0]).sentence,
      /starts about as fast \(1\.\d\d×, 95 % CI [\d.]+–[\d.]+×\) · about as much memory as Wasm under Node WASI \(1\.\d\d×, 95 % CI/,
    );

    const noisy: TargetShape = { ...wasm, id: 'noisy', runtime: 'wasmtime', spread: 0.9 };
    const r = syntheticResult([{ ...wasm, spread: 0.9 }, noisy], {
      runs: 4,
      reference: 'wasm-node-wasi',
    });
    const fact = verdictsOf(r)[0].facts.find((f) => f.metric === 'coldStart')!;
    assert.equal(fact.judgement, 'inconclusive');
    assert.match(
      verdictWords(verdictsOf(r)[0]).sentence,
      /no clear difference in start time \([\d.]+×, 95 % CI/,
    );
  });

  it('says when one run gives no interval', () => {
    const r = syntheticResult([wasm, native], { runs: 1 });
    assert.match(
      verdictWords(verdictsOf(r)[0]).sentence,
      /no clear difference in start time \(\d+×, too few runs for an interval\)/,
    );
  });

  it('names targets by role, and falls back to labels when roles repeat', () => {
    assert.equal(roleName({ runs: 'wasm', runtime: 'wasmtime-aot' }), 'Wasm under wasmtime (AOT)');
    assert.equal(
      roleName({ runs: 'native', runtime: 'docker-runsc' }),
      'native under runsc (Docker)',
    );
    const r = syntheticResult([wasm, { ...wasm, id: 'other', label: 'other module' }, native]);
    const sentences = renderTextReport(r, 't');
    assert.match(sentences, /^ {2}wasm · node-wasi: /m);
    assert.match(sentences, /^ {2}other module: /m);
  });

  it('formats factors with two significant digits', () => {
    assert.deepEqual(
      [9.04, 3.14, 12.4, 1.04, 0.92, 101.3, 1].map((x) => formatFactor(x)),
      ['9×', '3.1×', '12×', '1.04×', '0.92×', '101×', '1.00×'],
    );
  });

  it('is the same sentence in the text and Markdown reports, first, coloured in a terminal', () => {
    const result = syntheticResult([wasm, native, wasmtime]);
    const sentences = verdictsOf(result).map((v) => verdictWords(v).sentence);
    assert.equal(sentences.length, 2);
    const text = renderTextReport(result, 'hello');
    const markdown = renderMarkdownReport(result, 'hello');
    for (const s of sentences) {
      assert.ok(text.includes(`  ${s}`), text);
      assert.ok(markdown.includes(`- ${s}`), markdown);
    }
    assert.ok(
      text.indexOf(sentences[0]) < text.indexOf('target  '),
      'the verdict comes before the table',
    );
    const coloured = renderTextReport(result, 'hello', { colour: true });
    const esc = String.fromCharCode(27);
    assert.ok(coloured.includes(`${esc}[32mimage 23× smaller${esc}[0m`), coloured);
    assert.ok(coloured.includes(`${esc}[31mstarts `), coloured);
    assert.ok(!text.includes(esc));
  });

  it('has nothing to compare with a single target, and says so', () => {
    const result = syntheticResult([wasm]);
    assert.deepEqual(verdictsOf(result), []);
    assert.match(
      renderTextReport(result, 't'),
      /Nothing to compare: only wasm · node-wasi was measured\./,
    );
  });

  it('a containers-only run does not claim wait4 process accounting', () => {
    const containers = HELLO_SHAPES.filter((s) => s.container);
    const text = renderTextReport(syntheticResult(containers), 'c');
    assert.doesNotMatch(text, /wait4|processes:/);
    assert.match(text, /containers: engine API timings/);
    assert.match(
      renderTextReport(syntheticResult([wasm, containers[0]]), 'mixed'),
      /processes: .*wait4 accounting.*; containers: engine API timings/,
    );
  });

  it('gives one line per hyperfine warning for the whole profile, naming every target it concerns', () => {
    const result = syntheticResult([
      { ...wasm, firstRun: 900 },
      { ...native, firstRun: 90 },
      { ...native, id: 'native-2', label: 'native · second', outliers: [40, 50] },
      { ...wasm, id: 'wasm-2', label: 'wasm · steady' },
    ]);
    const warnings = warningsOf(result).filter((w) => /outlier|first measured run/i.test(w));
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(
      warnings[0],
      /^The first measured run was much slower than the rest \(\|x − median\| \/ MAD > 14\.8, hyperfine's rule\) for wasm · node-wasi \(900 ms\), native · process \(90\.0 ms\)\./,
    );
    assert.match(
      warnings[1],
      /^Statistical outliers in cold start \(.*hyperfine's rule\): native · second \(2\)\./,
    );
    assert.doesNotMatch(warnings.join('\n'), /steady|3\.5|peak memory/);
  });

  it('a profile of evenly spread runs has no outlier warning', () => {
    const result = syntheticResult([wasm, native]);
    assert.deepEqual(
      warningsOf(result).filter((w) => /outlier|first measured run/i.test(w)),
      [],
    );
  });
});
