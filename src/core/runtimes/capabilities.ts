/** What a runtime can run, shown in the Runtimes view and used to pick runtimes for a module. */
export interface RuntimeCapabilities {
  wasiPreview1: boolean;
  /** WASI preview2 / the component model. */
  components: boolean;
  /** How it compiles ahead of time, when it does. */
  aot?: string;
  /** How a host directory is mapped, in the runtime's own syntax. */
  dirMapping: string;
  /** Resource limits it can enforce. */
  limits: string[];
}
