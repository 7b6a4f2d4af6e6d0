/**
 * Helpers for cluster tests and the fuzzer: run a preset, optionally patched, and read the
 * result. Plain functions over the public pieces; no test framework here.
 */
import { deepMerge } from '../scenario/patch.ts';
import { presetById } from '../scenario/presets.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../scenario/schema.ts';
import type { RunReport, TraceEvent } from '../contract/index.ts';
import { runScenario } from './run.ts';

export { deepMerge };

/** A preset's scenario, patched and validated; throws with the validation errors if invalid. */
export function presetScenario(id: string, patch?: unknown): Scenario {
  const preset = presetById(id);
  if (preset === undefined) throw new Error(`unknown preset "${id}"`);
  const parsed = parseScenario(deepMerge<ScenarioInput>(preset.scenario, patch));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}

/** Runs a (patched) preset with a seed and returns the report and the stored events. */
export function runPreset(id: string, seed: number, patch?: unknown): { report: RunReport; events: readonly TraceEvent[] } {
  const { report, trace } = runScenario(presetScenario(id, patch), { seed });
  return { report, events: trace.events };
}

/** Counts violations by checker name. */
export function violationsByChecker(report: RunReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of report.violations) out[v.checker] = (out[v.checker] ?? 0) + 1;
  return out;
}
