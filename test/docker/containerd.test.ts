import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ContainerdRuntime,
  removeStaleContainerdContainers,
} from '../../src/core/engines/containerd/container';
import { Ctr } from '../../src/core/engines/containerd/ctr';
import { describeArchive } from '../../src/core/engines/containerd/images';
import { containerdPlace } from '../../src/core/engines/containerd/locate';
import { MANAGED_LABEL, OWNER_LABEL } from '../../src/core/engines/labels';
import { buildOciImage } from '../../src/core/oci/image';
import { specFromSource } from '../../src/core/oci/from-sources';
import { writeOutput } from '../../src/core/oci/outputs';
import { CancelledError } from '../../src/core/process/errors';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { helloDir } from './docker-helpers';

/** The project's containerd (scripts/setup-containerd.sh), or why not; REQUIRE_CONTAINERD=1 fails instead. */
async function containerdOrSkip(): Promise<{ ctr?: Ctr; skip?: string }> {
  const place = containerdPlace();
  let reason: string;
  if (!place.ctr) reason = 'ctr is not installed';
  else {
    const ctr = new Ctr({ address: place.address, ctr: place.ctr });
    const r = await ctr.run(['version'], { timeoutMs: 10_000 }).catch((e: Error) => e);
    if (!(r instanceof Error) && r.exitCode === 0) return { ctr };
    reason = `no containerd answers on ${place.address}`;
  }
  reason += ': run scripts/setup-containerd.sh';
  if (process.env.REQUIRE_CONTAINERD === '1') throw new Error(`REQUIRE_CONTAINERD=1 but ${reason}`);
  return { skip: reason };
}

/** The daemonless builder's three images, as oci-archives: Docker's wasi/wasm form, the CNCF artifact, the native twin. */
async function buildArchives(dir: string) {
  const out = async (name: string, source: string, artifact = false) => {
    const file = path.join(dir, `${name}.oci.tar`);
    const image = await buildOciImage(specFromSource(path.join(helloDir, source)), { artifact });
    await writeOutput(
      { kind: 'oci-archive', path: file },
      [image],
      `wasm-containers-test/${name}:latest`,
    );
    return file;
  };
  // `build Dockerfile --native Dockerfile.native`: one index, a manifest per platform
  const both = path.join(dir, 'hello-both.oci.tar');
  await writeOutput(
    { kind: 'oci-archive', path: both },
    await Promise.all(
      ['Dockerfile', 'Dockerfile.native'].map((f) =>
        buildOciImage(specFromSource(path.join(helloDir, f))),
      ),
    ),
    'wasm-containers-test/hello-both:latest',
  );
  return {
    wasm: await out('hello-wasm', 'Dockerfile'),
    artifact: await out('hello-artifact', 'hello.wasm', true),
    native: await out('hello-native', 'Dockerfile.native'),
    both,
  };
}

const ids = async (ctr: Ctr, what: 'containers' | 'tasks') =>
  (await ctr.ok([what, 'list', '--quiet'])).split('\n').filter(Boolean);

describe('containerd through ctr: import, run, profile, cleanup', async () => {
  const { ctr, skip } = await containerdOrSkip();
  let archives: Awaited<ReturnType<typeof buildArchives>>;
  const runtime = (name: string, runs: 'wasm' | 'native' = 'native') =>
    new ContainerdRuntime(ctr!, name, runs);

  before(async () => {
    archives = await buildArchives(mkdtempSync(path.join(os.tmpdir(), 'wc-containerd-')));
  });
  after(async () => {
    if (!ctr) return;
    const left = (
      await ctr.ok(['containers', 'list', '--quiet', `labels."${MANAGED_LABEL}"==true`])
    )
      .split('\n')
      .filter(Boolean);
    assert.deepEqual(left, [], 'containers left behind');
  });

  it(
    'imports the daemonless images: the wasi/wasm form unpacked, the artifact form stored',
    { skip },
    async () => {
      for (const [file, artifact] of [
        [archives.wasm, false],
        [archives.artifact, true],
        [archives.native, false],
      ] as const) {
        const image = await describeArchive(file);
        assert.equal(image.artifact, artifact);
        const ready = await runtime('runc').prepare({ artifact: file });
        assert.equal(ready.artifact, image.name);
        const listed = await ctr!.ok(['images', 'list', '--quiet', `name==${image.name}`]);
        assert.equal(listed.trim(), image.name);
      }
    },
  );

  it(
    'runs the native twin under runc: output, exit code, environment, mapped directory',
    { skip },
    async () => {
      const runc = runtime('runc');
      const spec = await runc.prepare({ artifact: archives.native });
      const hello = await runc.run(spec);
      assert.equal(hello.exitCode, 0, hello.stderr);
      assert.equal(hello.stdout, 'Hello from a Wasm container!\n');
      assert.equal((await runc.run({ ...spec, args: ['exit', '3'] })).exitCode, 3);
      const env = await runc.run({
        ...spec,
        args: ['env', 'GREETING'],
        env: { GREETING: 'hi from containerd' },
      });
      assert.equal(env.stdout, 'hi from containerd\n');
      const cat = await runc.run({
        ...spec,
        args: ['cat', '/data/hello.c'],
        dirs: [{ host: helloDir, guest: '/data' }],
      });
      assert.equal(cat.exitCode, 0, cat.stderr);
      assert.match(cat.stdout, /The smallest honest workload/);
    },
  );

  it(
    'an archive of the Wasm image and its twin: a native run takes the linux manifest',
    {
      skip,
    },
    async () => {
      assert.match((await describeArchive(archives.both, 'wasm')).name, /-wasi-wasm$/);
      const runc = runtime('runc');
      const spec = await runc.prepare({ artifact: archives.both });
      assert.match(spec.artifact, /-linux-\w+$/);
      const out = await runc.run(spec);
      assert.equal(out.stdout, 'Hello from a Wasm container!\n', out.stderr);
      assert.equal(out.exitCode, 0);
    },
  );

  for (const name of ['crun', 'youki']) {
    it(`runs the native twin under ${name} (the runc shim's binary)`, { skip }, async (t) => {
      const rt = runtime(name);
      const d = await rt.detect();
      if (!d.available) {
        // youki is built only on request (WITH_YOUKI=1 scripts/setup-containerd.sh): REQUIRE_YOUKI=1
        if (process.env.REQUIRE_YOUKI === '1' && name === 'youki') assert.fail(d.reason);
        return t.skip(d.reason);
      }
      const spec = await rt.prepare({ artifact: archives.native });
      const r = await rt.run({ ...spec, args: ['env', 'WHO'], env: { WHO: name } });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, `${name}\n`);
    });
  }

  for (const form of ['wasm', 'artifact'] as const) {
    it(
      `runs the ${form === 'wasm' ? 'wasi/wasm' : 'CNCF artifact'} image under the wasmtime shim: output, exit code, env`,
      {
        skip,
        // runs, and is reported, but does not fail the tier: a known gap, not a pass
        todo:
          form === 'artifact' &&
          'ctr run (containerd 2.4.2) refuses the artifact config: "unknown image config media type application/vnd.wasm.config.v0+json"',
      },
      async (t) => {
        const shim = runtime('io.containerd.wasmtime.v1', 'wasm');
        const d = await shim.detect();
        if (!d.available) return t.skip(d.reason);
        const spec = await shim.prepare({ artifact: archives[form] });
        const hello = await shim.run(spec);
        assert.equal(hello.exitCode, 0, hello.stderr);
        assert.equal(hello.stdout, 'Hello from a Wasm container!\n');
        assert.equal((await shim.run({ ...spec, args: ['exit', '3'] })).exitCode, 3);
        const env = await shim.run({ ...spec, args: ['env', 'G'], env: { G: 'wasm env' } });
        assert.equal(env.stdout, 'wasm env\n');
      },
    );
  }

  it(
    "profiles a run: create/start/run/remove from containerd's events, memory from the cgroup",
    { skip },
    async () => {
      const runc = runtime('runc');
      const spec = await runc.prepare({ artifact: archives.native });
      let withPhases = 0;
      for (let i = 0; i < 3; i++) {
        const s = await runc.measure({ ...spec, args: ['sleep', '0.2'] });
        assert.equal(s.exitCode, 0, s.error ?? s.stderr);
        assert.ok(Number.isFinite(s.maxRssKb) && s.maxRssKb > 0, `memory ${s.maxRssKb}`);
        // under load containerd has been seen to drop a run's events (2 of 10): such a sample has
        // no phases rather than wrong ones, and at least one of three has them
        const p = s.containerPhases;
        if (!p) continue;
        withPhases++;
        for (const phase of ['create', 'start', 'run', 'remove'] as const)
          assert.ok(p[phase] >= 0, `${phase} ${p[phase]}`);
        // the guest slept 200 ms: the run phase holds it, the others do not
        assert.ok(p.run >= 200, `run ${p.run}`);
        assert.ok(p.create + p.start + p.run + p.remove <= s.wallMs + 1);
      }
      assert.ok(withPhases > 0, 'no run had phases from the events');
    },
  );

  it('cancel and timeout leave no task and no container', { skip }, async () => {
    const runc = runtime('runc');
    const spec = await runc.prepare({ artifact: archives.native });
    const stop = new AbortController();
    let id = '';
    const running = runc.run(
      { ...spec, args: ['sleep', '60'] },
      {
        signal: stop.signal,
        onStart: (started) => (id = started),
      },
    );
    // cancel once containerd has the task
    while (!(await ids(ctr!, 'tasks')).includes(id)) await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await assert.rejects(running, CancelledError);
    assert.ok(!(await ids(ctr!, 'tasks')).includes(id));
    assert.ok(!(await ids(ctr!, 'containers')).includes(id));
    let timedOut = '';
    await assert.rejects(
      runc.run(
        { ...spec, args: ['sleep', '60'], timeoutMs: 3000 },
        { onStart: (s) => (timedOut = s) },
      ),
      /did not finish within 3000 ms; the container was killed and removed/,
    );
    assert.ok(!(await ids(ctr!, 'containers')).includes(timedOut));
  });

  it("sweeps a crashed process's containers and keeps a living one's", { skip }, async () => {
    const image = (await describeArchive(archives.native)).name;
    const dead = spawnSync('true').pid; // a pid that has exited
    const mine = `${os.hostname()}/${process.pid}`;
    const leave = async (id: string, owner: string) =>
      ctr!.ok([
        'run',
        '-d',
        '--label',
        `${MANAGED_LABEL}=true`,
        '--label',
        `${OWNER_LABEL}=${owner}`,
        image,
        id,
        '/hello',
        'sleep',
        '60',
      ]);
    await leave('wc-crashed', `${os.hostname()}/${dead}`);
    await leave('wc-alive', mine);
    try {
      const removed = await removeStaleContainerdContainers(ctr!);
      assert.deepEqual(removed, ['wc-crashed']);
      const left = await ids(ctr!, 'containers');
      assert.ok(!left.includes('wc-crashed'));
      assert.ok(left.includes('wc-alive'));
    } finally {
      await ctr!.run(['tasks', 'kill', '--signal', 'SIGKILL', 'wc-alive']);
      await ctr!.run(['tasks', 'delete', '--force', 'wc-alive']);
      await ctr!.run(['containers', 'delete', 'wc-alive']);
    }
  });

  it('is listed with the other container targets (runtimes --json)', { skip }, async () => {
    const catalog = await detectRuntimes();
    const byId = new Map(catalog.runtimes.map((r) => [r.id, r]));
    assert.equal(byId.get('containerd-runc')?.available, true, byId.get('containerd-runc')?.reason);
    assert.match(byId.get('containerd-runc')?.version ?? '', /^containerd \S+ \/ runc$/);
    const shim = byId.get('containerd-io.containerd.wasmtime.v1');
    assert.equal(shim?.runs, 'wasm');
    if (!shim?.available)
      assert.match(shim?.reason ?? '', /WITH_SHIM=1 bash scripts\/setup-containerd\.sh/);
  });
});
