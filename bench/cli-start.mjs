#!/usr/bin/env node
// Start-up of the CLI as a user meets it — whole processes, hyperfine -N in one run beside the
// reference: `wasm-containers --version`, `inspect` on hello.wasm (the fixed floor) and on the
// 2–14 MB npm modules, each beside `wasm-objdump -h -x` on the same file, and `node -e 0` (Node's
// own start, which no bundle can go below). Targets: --version ≤ 80 ms, floor ≤ 100 ms, inspect ≤
// 1.5× wasm-objdump on ≥ 10 MB modules. Uses the production bundles (built first unless --no-build).
// Prints figures; asserts nothing.
//   node bench/cli-start.mjs [--runs 20] [--no-build] [FILE.wasm ...]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, 'no-build': { type: 'boolean' } },
  allowPositionals: true,
});
const samples = path.join(root, '.cache/wasm-samples');
const modules = positionals.length
  ? positionals
  : [
      'wasm-tools.core.wasm',
      'spidermonkey-embedding-splicer.core.wasm',
      'starlingmonkey_embedding.wasm',
      'starlingmonkey_embedding.debug.wasm',
      'esbuild.wasm',
    ].map((f) => path.join(samples, f));
if (modules.some((f) => !existsSync(f)))
  execFileSync(process.execPath, [path.join(root, 'scripts/fetch-wasm-samples.mjs')], {
    stdio: 'inherit',
  });
if (!values['no-build'])
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
// Debian's wasm-objdump, not the wabt npm package's (node_modules/.bin comes first under npm run)
const objdump = existsSync('/usr/bin/wasm-objdump') ? '/usr/bin/wasm-objdump' : 'wasm-objdump';
for (const tool of ['hyperfine', objdump])
  if (spawnSync(tool, ['--version']).status !== 0) {
    console.error(`${tool} is missing: apt-get install hyperfine wabt`);
    process.exit(2);
  }

const cli = path.join(root, 'dist/cli.js');
const quote = (argv) => argv.map((a) => `'${a}'`).join(' ');
const node = process.execPath;
const commands = [
  ['node -e 0', [node, '-e', '0']],
  ['--version', [node, cli, '--version']],
  [
    'inspect hello.wasm (floor)',
    [node, cli, 'inspect', path.join(root, 'examples/hello/hello.wasm')],
  ],
  // the same without V8's code cache of the command's bundle (src/cli/code-cache.ts)
  [
    'inspect hello.wasm, no code cache',
    [
      '/usr/bin/env',
      'WASM_CONTAINERS_CODE_CACHE=0',
      node,
      cli,
      'inspect',
      path.join(root, 'examples/hello/hello.wasm'),
    ],
  ],
  ...modules.flatMap((m) => [
    [`inspect ${path.basename(m)}`, [node, cli, 'inspect', m]],
    [`wasm-objdump -h -x ${path.basename(m)}`, [objdump, '-h', '-x', m]],
  ]),
];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-cli-start-'));
const json = path.join(tmp, 'hf.json');
const load = os.loadavg()[0];
// one hyperfine run over every command: the ratios below compare figures taken side by side
execFileSync(
  'hyperfine',
  [
    '-N',
    '--warmup',
    '3',
    '--runs',
    values.runs,
    '--style',
    'none',
    '--export-json',
    json,
    ...commands.map(([, argv]) => quote(argv)),
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const results = JSON.parse(readFileSync(json, 'utf8')).results;
const median = (name) => results[commands.findIndex(([n]) => n === name)].median * 1000;
const row = (name, extra = '') => {
  const r = results[commands.findIndex(([n]) => n === name)];
  const ms = (s) => (s * 1000).toFixed(1);
  // CPU (user + system, mean): steadier than wall time on a loaded machine
  return `${name.padEnd(40)} median ${ms(r.median).padStart(7)} ms  (mean ${ms(r.mean)} ± ${ms(r.stddev)}; min ${ms(r.min)} … max ${ms(r.max)}; n=${r.times.length}; CPU ${ms(r.user + r.system)} ms)${extra}`;
};
console.log(
  `\nCLI start: hyperfine -N, ${values.runs} runs each after 3 warmups, all in one run; ${os.cpus().length}× ${os.cpus()[0].model.trim()}, load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; node ${process.version}\n`,
);
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(row('node -e 0', '   ← Node alone'));
console.log(row('--version', `   target ≤ 80 ms: ${verdict(median('--version') <= 80)}`));
console.log(
  row(
    'inspect hello.wasm (floor)',
    `   target ≤ 100 ms: ${verdict(median('inspect hello.wasm (floor)') <= 100)}`,
  ),
);
console.log(row('inspect hello.wasm, no code cache'));
const floor = median('node -e 0');
const cpu = (name) => {
  const r = results[commands.findIndex(([n]) => n === name)];
  return (r.user + r.system) * 1000;
};
console.log(
  `\nCPU above Node's own start (same run): --version +${(cpu('--version') - cpu('node -e 0')).toFixed(1)} ms, inspect hello.wasm +${(cpu('inspect hello.wasm (floor)') - cpu('node -e 0')).toFixed(1)} ms (without the code cache +${(cpu('inspect hello.wasm, no code cache') - cpu('node -e 0')).toFixed(1)} ms)`,
);
console.log(
  `\nabove Node's own start (node -e 0, same run): --version +${(median('--version') - floor).toFixed(1)} ms (${(median('--version') / floor).toFixed(2)}×), inspect hello.wasm +${(median('inspect hello.wasm (floor)') - floor).toFixed(1)} ms (${(median('inspect hello.wasm (floor)') / floor).toFixed(2)}×): no bundle can start below Node itself`,
);
for (const m of modules) {
  const name = path.basename(m);
  const size = statSync(m).size;
  const ratio = median(`inspect ${name}`) / median(`wasm-objdump -h -x ${name}`);
  const target =
    size >= 10e6 ? `target ≤ 1.5×: ${verdict(ratio <= 1.5)}` : 'under 10 MB: no target';
  console.log(
    `\n${name} (${(size / 2 ** 20).toFixed(1)} MiB): inspect / wasm-objdump = ${ratio.toFixed(2)}× (${target})`,
  );
  console.log(row(`inspect ${name}`));
  console.log(row(`wasm-objdump -h -x ${name}`));
}
