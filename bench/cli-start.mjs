#!/usr/bin/env node
// Start-up of the CLI as a user meets it — whole processes, hyperfine -N: `wasm-containers
// --version`, `inspect` on hello.wasm (the fixed floor) and on the 2–14 MB npm modules, each beside
// `wasm-objdump -h -x` on the same file, and `node -e 0` (Node's own start, which no bundle can go
// below). Targets: --version ≤ 80 ms, floor ≤ 100 ms, inspect ≤ 1.5× wasm-objdump on ≥ 10 MB
// modules. Uses the production bundles (built first unless --no-build). Prints figures; asserts
// nothing.
//
// Every Node row is measured twice: with the environment as given, and without
// NODE_EXTRA_CA_CERTS, as a default Node install starts (Node 20 reads and parses that whole
// certificate file at every start, before any of our code runs: ~70–100 ms on a sandbox that sets
// it). The rows are interleaved — each round runs every command once, the two environments in
// alternating order — so that the drift of a noisy machine hits every row alike.
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
const rounds = Math.max(2, Number(values.runs));
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
const node = process.execPath;
const hello = path.join(root, 'examples/hello/hello.wasm');
const nodeRows = [
  ['node -e 0', [node, '-e', '0']],
  ['--version', [node, cli, '--version']],
  ['inspect hello.wasm (floor)', [node, cli, 'inspect', hello]],
  // the same without V8's code cache of the command's bundle (src/cli/code-cache.ts)
  [
    'inspect hello.wasm, no code cache',
    ['/usr/bin/env', 'WASM_CONTAINERS_CODE_CACHE=0', node, cli, 'inspect', hello],
  ],
  ...modules.map((m) => [`inspect ${path.basename(m)}`, [node, cli, 'inspect', m]]),
];
const objdumpRows = modules.map((m) => [
  `wasm-objdump -h -x ${path.basename(m)}`,
  [objdump, '-h', '-x', m],
]);
const caCerts = process.env.NODE_EXTRA_CA_CERTS;
const withoutCa = { ...process.env };
delete withoutCa.NODE_EXTRA_CA_CERTS;
// wasm-objdump does not read the variable: measured once a round, in the first environment
const environments = [
  { key: 'given', env: process.env, rows: [...nodeRows, ...objdumpRows] },
  ...(caCerts ? [{ key: 'default', env: withoutCa, rows: nodeRows }] : []),
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-cli-start-'));
const json = path.join(tmp, 'hf.json');
const quote = (argv) => argv.map((a) => `'${a}'`).join(' ');
/** Per environment and row: wall seconds and CPU seconds (user + system) of each round. */
const figures = new Map();
const load = os.loadavg()[0];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? [...environments].reverse() : environments;
  for (const { key, env, rows } of order) {
    execFileSync(
      'hyperfine',
      [
        '-N',
        '--warmup',
        round === 0 ? '3' : '0',
        '--runs',
        '1',
        '--style',
        'none',
        '--export-json',
        json,
        ...rows.map(([, argv]) => quote(argv)),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env },
    );
    JSON.parse(readFileSync(json, 'utf8')).results.forEach((r, i) => {
      const id = `${key}:${rows[i][0]}`;
      const f = figures.get(id) ?? { wall: [], cpu: [] };
      f.wall.push(r.times[0]);
      f.cpu.push(r.user + r.system);
      figures.set(id, f);
    });
  }
}

const ms = (s) => (s * 1000).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fig = (key, name) => figures.get(`${key}:${name}`);
const med = (key, name) => median(fig(key, name).wall) * 1000;
const cpu = (key, name) => mean(fig(key, name).cpu) * 1000;
const row = (key, name, extra = '') => {
  const { wall } = fig(key, name);
  // CPU (user + system, mean): steadier than wall time on a loaded machine
  return `  ${name.padEnd(40)} median ${ms(median(wall)).padStart(7)} ms  (min ${ms(Math.min(...wall))} … max ${ms(Math.max(...wall))}; n=${wall.length}; CPU ${cpu(key, name).toFixed(1)} ms)${extra}`;
};
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const labels = {
  given: `environment as given${caCerts ? ` (NODE_EXTRA_CA_CERTS=${caCerts})` : ''}`,
  default: 'without NODE_EXTRA_CA_CERTS (as a default Node install starts)',
};
console.log(
  `\nCLI start: hyperfine -N, ${rounds} interleaved rounds (every command once a round, after 3 warmups each); ${os.cpus().length}× ${os.cpus()[0].model.trim()}, load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; node ${process.version}`,
);
for (const { key } of environments) {
  console.log(`\n${labels[key]}:`);
  console.log(row(key, 'node -e 0', '   ← Node alone'));
  console.log(row(key, '--version', `   target ≤ 80 ms: ${verdict(med(key, '--version') <= 80)}`));
  const floorName = 'inspect hello.wasm (floor)';
  console.log(row(key, floorName, `   target ≤ 100 ms: ${verdict(med(key, floorName) <= 100)}`));
  console.log(row(key, 'inspect hello.wasm, no code cache'));
  const node0 = med(key, 'node -e 0');
  console.log(
    `  above Node's own start (same rounds): --version +${(med(key, '--version') - node0).toFixed(1)} ms wall, +${(cpu(key, '--version') - cpu(key, 'node -e 0')).toFixed(1)} ms CPU; inspect hello.wasm +${(med(key, floorName) - node0).toFixed(1)} ms wall, +${(cpu(key, floorName) - cpu(key, 'node -e 0')).toFixed(1)} ms CPU (without the code cache +${(cpu(key, 'inspect hello.wasm, no code cache') - cpu(key, 'node -e 0')).toFixed(1)} ms CPU)`,
  );
  for (const m of modules) {
    const name = path.basename(m);
    const size = statSync(m).size;
    const ratio = med(key, `inspect ${name}`) / med('given', `wasm-objdump -h -x ${name}`);
    const target =
      size >= 10e6 ? `target ≤ 1.5×: ${verdict(ratio <= 1.5)}` : 'under 10 MB: no target';
    console.log(
      `\n  ${name} (${(size / 2 ** 20).toFixed(1)} MiB): inspect / wasm-objdump = ${ratio.toFixed(2)}× (${target})`,
    );
    console.log(row(key, `inspect ${name}`));
    console.log(row('given', `wasm-objdump -h -x ${name}`));
  }
}
if (caCerts) {
  const extra = med('given', 'node -e 0') - med('default', 'node -e 0');
  console.log(
    `\nNODE_EXTRA_CA_CERTS costs every Node start ${extra.toFixed(1)} ms here (node -e 0, same rounds), before any of the CLI's code runs, and wasm-objdump nothing: the ≤ 80 ms and ≤ 100 ms targets are about the CLI's own start and are judged on the figures without it; with it they cannot be met while node -e 0 alone takes ${med('given', 'node -e 0').toFixed(0)} ms. The ratios to wasm-objdump are given both ways.`,
  );
}
