/**
 * The public entry of the labs layer: the lab's content as data and code over the diagrams and
 * the simulation. Today it holds the worked examples the workbench draws; the guided labs
 * (manifests, narration, goals, one folder each) land here next.
 */
export { LAB_EXAMPLE_SPEC, LAB_EXAMPLE_TIMES_MS, slidingWindowExample } from './workedExamples.ts';
