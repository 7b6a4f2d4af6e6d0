/**
 * The labs, worker-side: the map the home screen lists and a step resolved next to the trace
 * (its run played to the end, its figures read, its goals evaluated, its prediction answered), so
 * the page receives one small answer per step. Runs are cached by (scenario, seed, patch): moving
 * between steps of a lab that share a run, or a figure that reads a sibling run, costs nothing
 * the second time.
 */
import { labById, labMap, resolveStep, runToEnd, type LabRunResult, type MapGroup, type RunRef, type StepInput, type StepOutcome } from '../labs/index.ts';

/** Lab runs kept at most (each holds its events: a few MB for the lab presets). */
export const LAB_RUN_CACHE_MAX = 6;

/**
 * The labs a workbench serves.
 *
 * @example
 * const labs = new LabRunner();
 * labs.step('ordering-delivery', 'out-of-order', 42).met; // true: the ordering checker fired
 */
export class LabRunner {
  private readonly cache = new Map<string, LabRunResult>();

  /** The home screen's map: every group with its ready and coming labs. */
  map(): MapGroup[] {
    return labMap();
  }

  /** A step resolved on its run with the student's seed and input. */
  step(labId: string, stepId: string, seed: number, input: StepInput = {}): StepOutcome {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`seed must be an integer from 0 to 4294967295, got ${seed}`);
    return resolveStep(labById(labId), stepId, seed, input, (ref) => this.run(ref));
  }

  private run(ref: RunRef): LabRunResult {
    const key = JSON.stringify([ref.scenario, ref.seed, ref.patch]);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      // Most recently used last, so the oldest is the first to go.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const result = runToEnd(ref);
    this.cache.set(key, result);
    while (this.cache.size > LAB_RUN_CACHE_MAX) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return result;
  }
}
