/** Every container and image the tool creates carries this label, so that leftovers can be found and removed. */
export const MANAGED_LABEL = 'io.wasm-containers.managed';
export const MANAGED_FILTER = { label: [`${MANAGED_LABEL}=true`] };
