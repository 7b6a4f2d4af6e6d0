/**
 * The design switches of the side-by-side view: named decisions, each with two or more values
 * written as JSON merge patches over the current scenario, so "same traffic, same faults, one
 * decision changed" is one patch on B. The field names are the scenario schema's
 * (`src/sim/scenario/schema.ts`); `switches.test.ts` applies every value to every light preset
 * and checks it builds, or is refused with a sentence naming the field.
 */
import { presetById, type ScenarioInput } from '../sim/index.ts';

/** A JSON merge patch over a scenario (objects merge, values replace, null deletes). */
export type SwitchPatch = { readonly [key: string]: unknown };

/** One value of a switch. */
export interface SwitchValue {
  readonly id: string;
  readonly label: string;
  readonly patch: SwitchPatch;
  /** Fields set only where the scenario has none (a limiter's size when the scenario had no limiter). */
  readonly fill?: SwitchPatch;
}

/** A named design decision and its values. */
export interface DesignSwitch {
  readonly id: string;
  readonly label: string;
  /** What the decision changes, in a sentence for the picker. */
  readonly explain: string;
  readonly values: readonly SwitchValue[];
}

/** Every option of any limiter algorithm: the algorithm switch deletes those the new one refuses. */
const LIMITER_OPTION_KEYS = ['alignment', 'countRejected', 'boundary', 'comparison', 'weighting', 'burst', 'refill', 'queueMax'] as const;

const limiterAlgorithm = (algorithm: string, label: string): SwitchValue => ({
  id: algorithm,
  label,
  patch: { rateLimit: { enabled: true, limiter: { algorithm, ...Object.fromEntries(LIMITER_OPTION_KEYS.map((k) => [k, null])) } } },
  // The schema's default limiter (5 per 60 s) applies only to a scenario with no limiter at all.
  fill: { rateLimit: { limiter: { limit: 5, windowMs: 60_000 } } },
});

/**
 * The switches, in the picker's order.
 *
 * @example
 * SWITCHES.find((s) => s.id === 'ordering')?.values.map((v) => v.id); // ['none', 'per-channel', 'global']
 */
export const SWITCHES: readonly DesignSwitch[] = [
  {
    id: 'ordering',
    label: 'Ordering',
    explain: 'Who numbers a channel’s messages: nobody, the chat service per channel (with a client reorder buffer and gap detection), or one global sequencer.',
    values: [
      { id: 'none', label: 'No sequence numbers', patch: { chat: { ordering: 'none' }, client: { reorderBuffer: false, gapDetection: false } } },
      { id: 'per-channel', label: 'Per-channel sequence', patch: { chat: { ordering: 'per-channel' }, client: { reorderBuffer: true, gapDetection: true } } },
      { id: 'global', label: 'Global sequencer', patch: { chat: { ordering: 'global' }, client: { reorderBuffer: true, gapDetection: true } } },
    ],
  },
  {
    id: 'delivery',
    label: 'Delivery guarantee',
    explain: 'Fire and forget, or acks, retries, deduplication and history catch-up.',
    values: [
      { id: 'at-most-once', label: 'At most once', patch: { delivery: 'at-most-once' } },
      { id: 'at-least-once', label: 'At least once', patch: { delivery: 'at-least-once' } },
    ],
  },
  {
    id: 'broker',
    label: 'Broker',
    explain: 'How servers hear of each other’s messages: Redis-like pub/sub, a Kafka-like log, or no broker (servers call each other directly).',
    values: [
      { id: 'redis', label: 'Redis-like pub/sub', patch: { broker: { kind: 'redis' } } },
      { id: 'kafka', label: 'Kafka-like log', patch: { broker: { kind: 'kafka' } } },
      { id: 'none', label: 'No broker', patch: { broker: { kind: 'none' } } },
    ],
  },
  {
    id: 'limiter-placement',
    label: 'Rate limiter placement',
    explain: 'Where sends are rate-limited: at the gateway, on each WebSocket server, in the chat service, or in a shared limiter service.',
    values: (['gateway', 'ws-server', 'chat', 'service'] as const).map((placement) => ({ id: placement, label: placement, patch: { rateLimit: { enabled: true, placement } } })),
  },
  {
    id: 'limiter-algorithm',
    label: 'Rate limiter algorithm',
    explain: 'Which algorithm decides (its own options reset to their defaults).',
    values: [
      limiterAlgorithm('fixed-window', 'Fixed window'),
      limiterAlgorithm('sliding-log', 'Sliding log'),
      limiterAlgorithm('sliding-counter', 'Sliding counter'),
      limiterAlgorithm('token-bucket', 'Token bucket'),
      limiterAlgorithm('leaky-bucket', 'Leaky bucket'),
      limiterAlgorithm('gcra', 'GCRA'),
    ],
  },
  {
    id: 'transport',
    label: 'Transport',
    explain: 'How clients talk to the gateway: WebSocket, server-sent events with a POST per frame, long polling, or raw TCP.',
    values: (['websocket', 'sse', 'long-polling', 'tcp'] as const).map((transport) => ({ id: transport, label: transport, patch: { transport } })),
  },
];

/** A switch by id, or an error naming the known ones. */
export function switchById(id: string): DesignSwitch {
  const s = SWITCHES.find((x) => x.id === id);
  if (s === undefined) throw new Error(`unknown switch "${id}"; switches are ${SWITCHES.map((x) => x.id).join(', ')}`);
  return s;
}

/**
 * Drops the nulls of a merge patch that would delete a key the base does not have (a null inside
 * an object the base lacks would otherwise be kept as a value by the merge).
 */
function tidy(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const b = base !== null && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null && !(k in b)) continue;
    out[k] = tidy(b[k], v);
  }
  return out;
}

/** The parts of `fill` whose keys `base` lacks, as a patch. */
function missing(base: unknown, fill: unknown): unknown {
  if (fill === null || typeof fill !== 'object' || Array.isArray(fill)) return base === undefined ? fill : undefined;
  const b = base !== null && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fill as Record<string, unknown>)) {
    const m = missing(b?.[k], v);
    if (m !== undefined) out[k] = m;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Merges two merge patches: the second wins, objects merge, a null in the second deletes. */
function mergePatches(first: unknown, second: unknown): unknown {
  if (second === null || typeof second !== 'object' || Array.isArray(second)) return second;
  const out: Record<string, unknown> = first !== null && typeof first === 'object' && !Array.isArray(first) ? { ...(first as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(second as Record<string, unknown>)) out[k] = mergePatches(out[k], v);
  return out;
}

/** `base` with merge patch `patch` applied (objects merge, null deletes). */
function applyPatch(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = applyPatch(out[k], v);
  }
  return out;
}

/**
 * The patch that turns a switch to one value over a preset and the patch it already has: the
 * current patch with the switch's on top (B of "one decision changed"). Throws naming an unknown
 * preset, switch or value.
 *
 * @example
 * switchPatch('reordering-without-sequence', null, 'ordering', 'per-channel');
 * // { chat: { ordering: 'per-channel' }, client: { reorderBuffer: true, gapDetection: true } }
 */
export function switchPatch(scenario: string, current: SwitchPatch | null, switchId: string, valueId: string): SwitchPatch {
  const preset = presetById(scenario);
  if (preset === undefined) throw new Error(`unknown scenario "${scenario}": a switch applies to a preset`);
  const s = switchById(switchId);
  const value = s.values.find((v) => v.id === valueId);
  if (value === undefined) throw new Error(`switch "${s.id}" has no value "${valueId}"; its values are ${s.values.map((v) => v.id).join(', ')}`);
  const base: ScenarioInput = (current === null ? preset.scenario : applyPatch(preset.scenario, current)) as ScenarioInput;
  const own = tidy(base, value.patch);
  const filled = value.fill === undefined ? undefined : missing(applyPatch(base, own), value.fill);
  return mergePatches(mergePatches(current ?? {}, own), filled ?? {}) as SwitchPatch;
}
