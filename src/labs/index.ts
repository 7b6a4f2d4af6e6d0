/**
 * The public entry of the labs layer: the lab's content as data and code over the diagrams and
 * the simulation. The worked examples the workbench draws; the lab framework (manifests, steps,
 * figures, goals, narration, controls); the registry of labs; and `resolveStep`, which runs a
 * step and reads its figures (the workbench calls it in the worker).
 */
export { LAB_EXAMPLE_SPEC, LAB_EXAMPLE_TIMES_MS, slidingWindowExample } from './workedExamples.ts';
export * from './framework/index.ts';
export { COMING_LABS, LABS, labById, labMap, type MapGroup } from './registry.ts';
