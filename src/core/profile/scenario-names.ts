/** Scenarios a profile may lack; the panel offers to add them to a spec and run it. */
export const SCENARIOS = ['markers', 'startStorm', 'density', 'memoryTimeline'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
