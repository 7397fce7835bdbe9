import { hostname } from 'node:os';

/** Every container and image the tool creates carries this label, so that leftovers can be found and removed. */
export const MANAGED_LABEL = 'io.wasm-containers.managed';
export const MANAGED_FILTER = { label: [`${MANAGED_LABEL}=true`] };
/** The process that created a container: a container whose creator is gone is stale and may be removed. */
export const OWNER_LABEL = 'io.wasm-containers.owner';

export function ownerValue(): string {
  return `${hostname()}/${process.pid}`;
}
