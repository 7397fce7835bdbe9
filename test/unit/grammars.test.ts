import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, type IGrammar, type IRawGrammar } from 'vscode-textmate';
import { findExecutable } from '../../src/core/runtimes/find-executable';
import { helloWasm, parseJson, repoRoot } from './helpers';

const fixtures = path.join(repoRoot, 'test/fixtures/grammars');
let registry: Registry;

/** Every token of a text as [text, innermost scope]. */
function tokens(grammar: IGrammar, text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens)
      out.push([line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]]);
    state = r.ruleStack;
  }
  return out;
}
const scopeOf = (toks: Array<[string, string]>, text: string) =>
  toks.find(([t]) => t.trim() === text)?.[1];

describe('TextMate grammars (tokenised with vscode-textmate + oniguruma, as VS Code does)', () => {
  before(async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: (scope) =>
        Promise.resolve(
          parseJson<IRawGrammar>(
            readFileSync(
              path.join(
                repoRoot,
                'syntaxes',
                scope === 'source.wat' ? 'wat.tmLanguage.json' : 'wit.tmLanguage.json',
              ),
            ),
          ),
        ),
    });
  });

  it('WAT: numeric, SIMD, GC, exception, atomic and bulk-memory instructions get their scopes', async () => {
    const grammar = (await registry.loadGrammar('source.wat'))!;
    const toks = tokens(grammar, readFileSync(path.join(fixtures, 'features.wat'), 'utf8'));
    const expect: Array<[string, string]> = [
      [
        ';; Every instruction family the grammar must colour: numeric, SIMD, reference types,',
        'comment.line.double-semicolon.wat',
      ],
      ['i32.add', 'keyword.operator.numeric.wat'],
      ['i8x16.splat', 'keyword.operator.simd.wat'],
      ['f32x4.add', 'keyword.operator.simd.wat'],
      ['v128.and', 'keyword.operator.simd.wat'],
      ['struct.new', 'keyword.operator.wat'],
      ['ref.cast', 'keyword.operator.wat'],
      ['try_table', 'keyword.control.wat'],
      ['throw', 'keyword.control.wat'],
      ['return_call', 'keyword.control.wat'],
      ['i32.atomic.rmw.add', 'keyword.operator.numeric.wat'],
      ['atomic.fence', 'keyword.operator.atomic.wat'],
      ['memory.copy', 'keyword.operator.wat'],
      ['local.get', 'keyword.operator.wat'],
      ['$add', 'entity.name.function.wat'],
      ['$a', 'variable.other.wat'],
      ['module', 'storage.type.wat'],
      ['shared', 'storage.type.wat'],
      ['funcref', 'support.type.wat'],
      ['v128', 'support.type.wat'],
      ['0x10', 'constant.numeric.hex.wat'],
      ['-inf', 'constant.numeric.float.wat'],
      ['nan:0x7ff', 'constant.numeric.float.wat'],
      ['offset', 'keyword.other.memarg.wat'],
      ['fd_write', 'string.quoted.double.wat'],
    ];
    for (const [text, scope] of expect) assert.equal(scopeOf(toks, text), scope, `${text}`);
    // the nested block comment stays a comment to its end
    assert.equal(toks.find(([t]) => t.includes('nested'))?.[1], 'comment.block.wat');
    assert.equal(
      toks.find(([t]) => t.includes('\\u{1F600}'))?.[1],
      'constant.character.escape.wat',
    );
  });

  it(
    'WAT: the whole wasm2wat output of the example (a real 14 000-line file) tokenises quickly',
    { skip: findExecutable('wasm2wat') ? undefined : 'wasm2wat (Debian wabt) is not installed' },
    async () => {
      const grammar = (await registry.loadGrammar('source.wat'))!;
      const text = execFileSync('wasm2wat', [helloWasm], {
        maxBuffer: 64 * 1024 * 1024,
      }).toString();
      const toks = tokens(grammar, text);
      const unscoped = toks.filter(([t, s]) => t.trim() !== '' && s === 'source.wat');
      assert.deepEqual(
        unscoped.slice(0, 5),
        [],
        'every word of real wasm2wat output is recognised',
      );
      assert.equal(scopeOf(toks, 'i32.load'), 'keyword.operator.numeric.wat');
    },
  );

  it('WIT: packages, items, functions, primitive types, docs and gates', async () => {
    const grammar = (await registry.loadGrammar('source.wit'))!;
    const toks = tokens(grammar, readFileSync(path.join(fixtures, 'greeter.wit'), 'utf8'));
    const expect: Array<[string, string]> = [
      ['package', 'storage.type.package.wit'],
      ['local:greeter', 'entity.name.namespace.wit'],
      ['@0.1.0', 'constant.other.version.wit'],
      ['/// A greeting service.', 'comment.line.documentation.wit'],
      ['interface', 'storage.type.wit'],
      ['greet', 'entity.name.type.wit'],
      ['record', 'storage.type.wit'],
      ['string', 'support.type.primitive.wit'],
      ['option', 'support.type.primitive.wit'],
      ['u64', 'support.type.primitive.wit'],
      ['constructor', 'keyword.other.wit'],
      ['static', 'keyword.other.wit'],
      ['->', 'keyword.operator.arrow.wit'],
      ['wasi:cli/environment@0.2.0', 'constant.other.qualified-name.wit'],
      ['@since(version = 0.2.0)', 'meta.annotation.wit'],
    ];
    for (const [text, scope] of expect) assert.equal(scopeOf(toks, text), scope, `${text}`);
    assert.equal(
      toks.find(([t, s]) => t === 'count' && s === 'entity.name.function.wit')?.[1],
      'entity.name.function.wit',
    );
    assert.equal(toks.find(([t]) => t.includes('the shape of a name'))?.[1], 'comment.block.wit');
  });
});
