/**
 * Helpers for cluster tests and the fuzzer: run a preset, optionally patched, and read the
 * result. Plain functions over the public pieces; no test framework here.
 */
import { presetById } from '../scenario/presets.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../scenario/schema.ts';
import type { RunReport, TraceEvent } from '../contract/index.ts';
import { runScenario } from './run.ts';

/** JSON merge patch (RFC 7386): objects merge, arrays and scalars replace, null deletes a key. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return patch as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

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
