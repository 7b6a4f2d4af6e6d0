/**
 * What every `lab.test.ts` proves, in one place: each step resolves on its run with its narration
 * filled (every placeholder has a figure), each step's goals are reachable from its setup (with
 * the control values the lab names, for an experiment), a prediction gets an answer from the run,
 * and each pitfall's checker fires on every listed seed while its fix stays silent.
 */
import { describe, expect, test } from 'vitest';
import { figureDoc } from '../../sim/index.ts';
import { labById } from '../registry.ts';
import { placeholdersOf, resolveStep, runToEnd, type ControlValue, type LabManifest, type LabRunResult, type RunRef } from './index.ts';

/** Runs shared by a lab's tests (steps and figures often read the same run). */
function cachedLoader(): (ref: RunRef) => LabRunResult {
  const cache = new Map<string, LabRunResult>();
  return (ref) => {
    const key = JSON.stringify(ref);
    const hit = cache.get(key) ?? runToEnd(ref);
    cache.set(key, hit);
    return hit;
  };
}

/**
 * The runs of one test file, shared by `describeLab` and the lab's own tests: a step resolved
 * twice (or a figure read from a run another step made) costs one run.
 */
export const sharedRuns: (ref: RunRef) => LabRunResult = cachedLoader();

/**
 * A time budget for a lab's tests: its steps run whole scenarios (a protocol comparison is four
 * 75 s group chats), which on a machine loaded to 15 took over a minute. A budget against hangs,
 * not a speed target (speed lives in `npm run bench`).
 */
export const LAB_BUDGET = { timeout: 300_000 } as const;

export interface LabTestOptions {
  /** Control values that reach a step's goals (an experiment's goal needs the student to change something). */
  readonly reachWith?: Readonly<Record<string, Readonly<Record<string, ControlValue>>>>;
}

/** Declares the tests every lab must pass. */
export function describeLab(manifest: LabManifest, options: LabTestOptions = {}): void {
  const load = sharedRuns;
  describe(`lab ${manifest.id}`, LAB_BUDGET, () => {
    // Proves the lab is in the registry under its own id, so the home screen can reach it.
    test('is registered', () => {
      expect(labById(manifest.id)).toBe(manifest);
      expect(new Set(manifest.steps.map((s) => s.id)).size).toBe(manifest.steps.length);
    });

    // Proves each slider names only figures the sweep measures, and labels only figures it shows.
    for (const step of manifest.steps) {
      if (step.kind !== 'experiment' || step.sweep === undefined) continue;
      const sweep = step.sweep;
      test(`step ${step.id}: its slider's figures are measured and its labels name them`, () => {
        const shown = new Set([...sweep.figures, ...(sweep.tableFigures ?? [])]);
        for (const f of shown) expect(figureDoc(f), `figure ${f}`).toBeDefined();
        for (const f of Object.keys(sweep.figureLabels ?? {})) expect(shown.has(f), `label for ${f}, which the slider does not show`).toBe(true);
        if (sweep.valueLabels !== undefined) expect(sweep.valueLabels).toHaveLength(sweep.values.length);
        // A list or an object is not readable on a slider: such values need names.
        if (sweep.values.some((v) => typeof v === 'object')) expect(sweep.valueLabels, 'labels for values that are lists or objects').toBeDefined();
        if (sweep.valueLabels !== undefined) expect(sweep.valueLabels).toHaveLength(sweep.values.length);
        // A list or an object is not readable on a slider: such values need names.
        if (sweep.values.some((v) => typeof v === 'object')) expect(sweep.valueLabels, 'labels for values that are lists or objects').toBeDefined();
      });
    }

    for (const step of manifest.steps) {
      // Proves the step's goals are met on its own run (run in Node to the end), and that every
      // placeholder of its text names a figure the run has a value for.
      test(`step ${step.id}: its goals are reachable from its setup`, () => {
        const controls = options.reachWith?.[step.id];
        const outcome = resolveStep(manifest, step.id, manifest.seed, controls === undefined ? {} : { controls }, load);
        expect(
          outcome.goals.filter((g) => !g.result.met).map((g) => g.result.explanation),
          `seed ${manifest.seed}`,
        ).toEqual([]);
        expect(outcome.met).toBe(true);
        const texts = [step.narration, step.kind === 'explore' ? '' : step.explanation];
        for (const id of texts.flatMap(placeholdersOf)) {
          expect(outcome.figures[id]?.value, `figure ${id} of step ${step.id}, seed ${manifest.seed}`).not.toBeNull();
        }
        if (step.kind === 'predict') expect(outcome.answer, `step ${step.id} has no answer`).not.toBeNull();
        if (step.kind === 'predict' && outcome.answer?.kind === 'choice') expect(outcome.answer.option, 'no option held on the run').not.toBeNull();
      });
    }

    for (const pitfall of manifest.pitfalls) {
      // Proves the pitfall is real and the fix is one: the checker fires on every seed of the
      // broken design and stays silent on the fixed one.
      test(`pitfall ${pitfall.id}: the ${pitfall.checker} checker fires on seeds ${pitfall.seeds.join(', ')} and its fix stays silent`, () => {
        for (const seed of pitfall.seeds) {
          const findings = (run: typeof pitfall.broken) => load({ scenario: run.scenario, seed, patch: run.patch ?? null }).report?.violations.filter((v) => v.checker === pitfall.checker).length;
          expect(findings(pitfall.broken), `${pitfall.broken.scenario}, seed ${seed}`).toBeGreaterThan(0);
          expect(findings(pitfall.fixed), `${pitfall.fixed.scenario}, seed ${seed}`).toBe(0);
        }
      });
    }
  });
}
