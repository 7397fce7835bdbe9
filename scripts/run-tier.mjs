// Runs one test tier and ends with the plain closing line "<tier>: N passed, N failed[, N skipped]".
//   node scripts/run-tier.mjs unit|integration|docker|browser|exthost|ui|package
// Exit code: 0 only when the tier ran at least one test and none failed.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tier = process.argv[2];
const resultsDir = path.join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** node:test with the spec reporter on screen and TAP into a file we count from. */
async function nodeTestTier(dir) {
  const files = readdirSync(path.join(root, 'test', dir))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => `test/${dir}/${f}`);
  const tap = path.join(resultsDir, `${tier}.tap`);
  rmSync(tap, { force: true });
  const { code } = await run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = readFileSync(tap, 'utf8');
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
    code,
  };
}

/** Tiers that print their own "N passed, N failed" line (mocha in the extension host, the UI script). */
async function selfCountingTier(script, nodeArgs = []) {
  const { code, out } = await run(process.execPath, [...nodeArgs, script]);
  const m = [
    ...out.matchAll(/^(?:[\w-]+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm),
  ].pop();
  return m
    ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0), code }
    : { passed: 0, failed: 1, skipped: 0, code: code || 1 };
}

const tiers = {
  unit: () => nodeTestTier('unit'),
  // real Wasm runtime CLIs (wasmtime, wazero, wasmer, …) and tools, no container engine
  integration: () => nodeTestTier('integration'),
  docker: () => nodeTestTier('docker'),
  browser: () => nodeTestTier('browser'),
  // the release .vsix (minified bundles) as `npm run package` makes it, unpacked and run
  package: () => nodeTestTier('package'),
  exthost: () => selfCountingTier('test/exthost/run-exthost-tests.mjs'),
  // the workbench journeys: each script starts its own code-server; their counts add up
  ui: async () => {
    const runs = [];
    for (const script of ['test/ui/ui-test.mjs', 'test/ui/ui-journeys.mjs'])
      runs.push(await selfCountingTier(script, ['--import', 'tsx'])); // they may import the core
    return {
      passed: runs.reduce((n, r) => n + r.passed, 0),
      failed: runs.reduce((n, r) => n + r.failed, 0),
      skipped: runs.reduce((n, r) => n + r.skipped, 0),
      code: runs.find((r) => r.code !== 0)?.code ?? 0,
    };
  },
};
if (!tiers[tier]) {
  console.error(`usage: run-tier.mjs ${Object.keys(tiers).join('|')}`);
  process.exit(2);
}
const t0 = Date.now();
const r = await tiers[tier]();
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`\n${tier} tier took ${seconds}s`);
console.log(
  `${tier}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`,
);
process.exit(r.failed > 0 || r.code !== 0 || r.passed === 0 ? 1 : 0);
