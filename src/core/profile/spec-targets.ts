import { HintedError } from '../hints';
import type { Catalog } from '../runtimes/runtime-catalog';
import { hintsOf } from '../runtimes/runtime-report';
import type { ProfileTarget } from './profiler';
import type { ProfileSpec } from './spec';
import { roleOf, targetId, targetLabel } from './targets';

/** The spec's targets bound to the runtimes found here; an absent runtime is an error saying why. */
export async function resolveSpecTargets(
  spec: ProfileSpec,
  catalog: Catalog,
  options: { dockerHost?: string; onOutput?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<ProfileTarget[]> {
  const targets: ProfileTarget[] = [];
  for (const t of spec.targets) {
    const runtime = catalog.runtimes.find((r) => r.id === t.runtime);
    if (!runtime)
      throw new Error(
        `Target '${t.id}': unknown runtime '${t.runtime}' (known here: ${catalog.runtimes.map((r) => r.id).join(', ')}).`,
      );
    if (!runtime.available)
      throw new HintedError(
        `Target '${t.id}': ${runtime.displayName} is not available: ${runtime.reason}`,
        hintsOf(runtime, catalog),
      );
    if ((t.ociRuntime || t.annotations) && runtime.kind !== 'container')
      throw new Error(
        `Target '${t.id}': "ociRuntime" and "annotations" need a container runtime, not ${t.runtime}.`,
      );
    if (t.build) {
      if (runtime.kind !== 'container')
        throw new Error(`Target '${t.id}': "build" needs a container runtime, not ${t.runtime}.`);
      options.onOutput?.(`building ${t.artifact} from ${t.build.context}`);
      // the engine's client is loaded for a build only: a spec of processes never needs it
      const [{ createDockerClient }, { buildImage }] = await Promise.all([
        import('../engines/docker/client'),
        import('../engines/docker/build'),
      ]);
      await buildImage(createDockerClient({ host: options.dockerHost }), {
        context: t.build.context,
        dockerfile: t.build.dockerfile,
        tag: t.artifact,
        onOutput: options.onOutput,
        signal: options.signal,
      });
    }
    const role = roleOf(runtime.adapter);
    targets.push({
      id: t.id,
      // a target named after its role reads as every other entry point's; others by their name
      label: t.label ?? (t.id === targetId(role) ? targetLabel(role) : `${t.id} · ${t.runtime}`),
      runtime: runtime.adapter,
      spec: {
        artifact: t.artifact,
        args: t.args,
        env: t.env,
        dirs: t.dirs,
        ...(t.ociRuntime ? { ociRuntime: t.ociRuntime } : {}),
        ...(t.annotations ? { annotations: t.annotations } : {}),
      },
    });
  }
  return targets;
}
