/**
 * The scenarios a session can load by id: the kernel's demo and every preset light enough for a
 * browser tab, with the facts a picker shows before loading one (computed once, from the
 * validated scenario, so no other layer recomputes them).
 */
import type { ClusterInfo } from '../contract/index.ts';
import { kernelDemo } from '../demo/kernelDemo.ts';
import type { SimulationConfig } from '../engine/simulation.ts';
import { buildCluster } from '../scenario/build.ts';
import { PRESETS } from '../scenario/presets.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import { deepMerge } from '../scenario/patch.ts';
import { overBudget } from '../scenario/budget.ts';

/** A scenario the app can load. */
export interface ScenarioEntry {
  readonly id: string;
  readonly summary: string;
  /** A longer description, when the scenario has one. */
  readonly description: string;
  /** When its workload and settle period are over (null: it runs on, like the kernel demo). */
  readonly endMs: number | null;
  /** Whether it rate-limits sends (so the rate-limit timeline has decisions to draw). */
  readonly rateLimited: boolean;
}

/** A scenario built for one seed: the simulation's config and, for a chat cluster, its facts. */
export interface BuiltRun {
  /** What this run is: the catalog's entry, with the length and rate limiting a patch gave it. */
  readonly entry: ScenarioEntry;
  readonly config: SimulationConfig;
  /** Null for the kernel demo, which is not a chat cluster. */
  readonly cluster: { readonly info: ClusterInfo; readonly scenario: Scenario } | null;
}

interface Loadable extends ScenarioEntry {
  readonly build: (seed: number, patch?: unknown) => BuiltRun;
}

/** The catalog's facts of a preset's scenario. */
function entryOf(id: string, summary: string, scenario: Scenario): ScenarioEntry {
  return { id, summary, description: scenario.description, endMs: scenario.durationMs + scenario.settleMs, rateLimited: scenario.rateLimit.enabled };
}

/** A preset with a JSON merge patch applied, validated; the error names every problem and where. */
function patchedScenario(id: string, input: unknown, patch: unknown): Scenario {
  const parsed = parseScenario(deepMerge(input, patch));
  if (!parsed.ok) throw new Error(`${id} with this patch is not a valid scenario: ${parsed.errors.join('; ')}`);
  return parsed.scenario;
}

function validated(id: string, input: unknown): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`preset ${id} is invalid: ${parsed.errors.join('; ')}`);
  return parsed.scenario;
}

const KERNEL_DEMO: ScenarioEntry = {
  id: 'kernel-demo',
  summary: 'The kernel alone: senders ping a busy hub over a jittery network.',
  description: '',
  endMs: null,
  rateLimited: false,
};

let loadable: readonly Loadable[] | null = null;

/** The scenarios, built on first use (validating every preset once). */
function entries(): readonly Loadable[] {
  loadable ??= [
    {
      ...KERNEL_DEMO,
      build: (seed, patch) => {
        if (patch !== undefined) throw new Error('the kernel demo takes no scenario patch: it is not a chat cluster');
        return { entry: KERNEL_DEMO, config: kernelDemo({ seed }), cluster: null };
      },
    },
    // Heavy presets (a million users) would not fit in a browser tab; they run from the CLI.
    ...PRESETS.filter((p) => p.heavy !== true).map((p): Loadable => {
      const scenario = validated(p.id, p.scenario);
      const entry = entryOf(p.id, p.summary, scenario);
      return {
        ...entry,
        build: (seed, patch) => {
          const patched = patch === undefined ? scenario : patchedScenario(p.id, p.scenario, patch);
          // Refused before the build, which alone could hang on a billion groups (ADR 0012); the
          // CLI prints the same sentence and has --allow-long, the workbench has no such switch.
          const tooBig = overBudget(patched);
          if (tooBig !== null) throw new Error(`${p.id}: ${tooBig}`);
          const { config, info } = buildCluster(patched, seed);
          // A patch can change how long the scenario runs: the entry says what this run does.
          return { entry: patched === scenario ? entry : entryOf(p.id, p.summary, patched), config, cluster: { info, scenario: patched } };
        },
      };
    }),
  ];
  return loadable;
}

/**
 * The scenarios a session can load, in the picker's order.
 *
 * @example
 * scenarioCatalog().find((s) => s.id === 'rate-limit-burst')?.rateLimited; // true
 */
export function scenarioCatalog(): ScenarioEntry[] {
  return entries().map(({ build: _build, ...entry }) => entry);
}

/**
 * Builds a scenario of the catalog for a seed, optionally with a JSON merge patch over the preset
 * (objects merge, arrays and values replace, null deletes), or throws naming the known ids, the
 * seed range, or the patch's problems.
 *
 * @example
 * const { config } = buildRun('group-chat', 42, { durationMs: 600_000 });
 * new Simulation(config).runUntil(1000);
 */
export function buildRun(id: string, seed: number, patch?: unknown): BuiltRun {
  const entry = entries().find((s) => s.id === id);
  if (entry === undefined) throw new Error(`unknown scenario "${id}"; known: ${entries().map((s) => s.id).join(', ')}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  return entry.build(seed, patch);
}
