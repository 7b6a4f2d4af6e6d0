/**
 * The side-by-side view's state in the address (`#/compare?a=…&b=…&seed=…`), so a comparison is
 * shareable and survives a reload: A's and B's presets and patches, the one seed, the shared
 * playhead and the message both sequence diagrams draw. Read leniently: what cannot be read is
 * named in a message and left at its default, never a blank page (ADR 0029).
 */
import { isRecord, recordOrNull } from '../record.ts';

/** A side: a preset and the JSON merge patch over it (null: the preset itself). */
export interface CompareSideState {
  readonly scenario: string;
  readonly patch: { readonly [key: string]: unknown } | null;
}

/** A fault (or repair) applied to both runs at its time, as a kept intervention. */
export interface CompareIntervention {
  readonly at: number;
  readonly op: { readonly verb: string; readonly [key: string]: unknown };
}

export interface CompareState {
  readonly a: CompareSideState;
  readonly b: CompareSideState;
  readonly seed: number;
  /** The shared playhead, in ms (null: the start). */
  readonly atMs: number | null;
  /** The send both sequence diagrams draw, by its client message id (`u1-5`), or null. */
  readonly msg: string | null;
  /** Faults applied to both runs, in time order (checked by the simulation when applied). */
  readonly interventions: readonly CompareIntervention[];
}

/** The comparison the issue tells: same traffic, same faults, one decision changed. */
export const DEFAULT_COMPARE: CompareState = {
  a: { scenario: 'reordering-without-sequence', patch: null },
  b: { scenario: 'reordering-with-sequence', patch: null },
  seed: 42,
  atMs: null,
  msg: null,
  interventions: [],
};

/** Presets that tell one story in two runs: opening the view from one puts the other as B. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['reordering-without-sequence', 'reordering-with-sequence'],
  ['crash-at-most-once', 'crash-at-least-once'],
  ['group-chat', 'no-broker'],
];

/** What free play hands the comparison besides its scenario and seed: its variant, faults and moment. */
export interface CompareOrigin {
  /** The run's patch over its preset (a custom scenario's, ADR 0030), or null. */
  readonly patch?: { readonly [key: string]: unknown } | null;
  /** The person's interventions on the run, applied to both sides at their times. */
  readonly interventions?: readonly CompareIntervention[];
  /** The playhead, in ms: both panes open there. */
  readonly atMs?: number | null;
}

/** B's change when the preset has no partner: the per-channel sequence numbers turned off. */
const ORDERING_OFF = { chat: { ordering: 'none' }, client: { reorderBuffer: false, gapDetection: false } } as const;


/**
 * The comparison free play opens for its run: A is that run (its patch, its interventions, its
 * playhead), B its preset's partner, or the same run with the per-channel sequence numbers turned
 * off. A run with a patch keeps it on both sides, so B differs from A by the ordering only.
 *
 * @example
 * compareFrom('crash-at-most-once', 7).b.scenario; // 'crash-at-least-once'
 */
export function compareFrom(scenario: string, seed: number, origin: CompareOrigin = {}): CompareState {
  const patch = origin.patch ?? null;
  const pair = patch === null ? PAIRS.find(([x, y]) => x === scenario || y === scenario) : undefined;
  const partner = pair === undefined ? null : pair[0] === scenario ? pair[1] : pair[0];
  const b: CompareSideState =
    partner !== null
      ? { scenario: partner, patch: null }
      : { scenario, patch: { ...patch, chat: { ...recordOrNull(patch?.['chat']), ...ORDERING_OFF.chat }, client: { ...recordOrNull(patch?.['client']), ...ORDERING_OFF.client } } };
  const interventions = (origin.interventions ?? []).slice(0, INTERVENTIONS_MAX);
  return { a: { scenario, patch }, b, seed, atMs: origin.atMs ?? null, msg: null, interventions };
}

const ID = /^[\w-]{1,80}$/;
const MSG = /^[\w-]{1,80}$/;
const PATCH_TEXT_MAX = 20_000;
/** Interventions an address may carry. */
export const INTERVENTIONS_MAX = 200;

/** The `iv` parameter: `[{ at, op: { verb, … } }, …]`; anything else is named and ignored. */
function readInterventions(text: string | null, messages: string[]): CompareIntervention[] {
  if (text === null || text === '') return [];
  let value: unknown;
  try {
    value = text.length > PATCH_TEXT_MAX ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  const ok =
    Array.isArray(value) &&
    value.length <= INTERVENTIONS_MAX &&
    value.every((iv: unknown) => {
      if (iv === null || typeof iv !== 'object') return false;
      const { at, op } = iv as { at?: unknown; op?: unknown };
      return typeof at === 'number' && Number.isFinite(at) && at >= 0 && isRecord(op) && typeof op['verb'] === 'string';
    });
  if (!ok) {
    messages.push(`The faults (iv) are not a list of at most ${INTERVENTIONS_MAX} { at, op: { verb, … } }; none were applied.`);
    return [];
  }
  return [...(value as CompareIntervention[])].sort((x, y) => x.at - y.at);
}

/** A patch parameter: a JSON object, or an error naming the side. */
function readPatch(side: 'A' | 'B', text: string | null, messages: string[]): CompareSideState['patch'] {
  if (text === null || text === '') return null;
  if (text.length > PATCH_TEXT_MAX) {
    messages.push(`${side}'s patch is longer than ${PATCH_TEXT_MAX.toLocaleString('en-US')} characters; it was ignored.`);
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return value;
    messages.push(`${side}'s patch is not a JSON object; it was ignored.`);
  } catch (error) {
    messages.push(`${side}'s patch is not valid JSON (${error instanceof Error ? error.message : String(error)}); it was ignored.`);
  }
  return null;
}

/**
 * The state in a compare address's query (the part after `#/compare?`), with a message for each
 * parameter that could not be read (it keeps its default).
 *
 * @example
 * readCompareQuery('a=group-chat&b=no-broker&seed=7').state.b.scenario; // 'no-broker'
 * readCompareQuery('seed=-1').messages; // ['The seed "-1" is not a whole number from 0 to 4294967295; seed 42 was used.']
 */
export function readCompareQuery(query: string): { state: CompareState; messages: string[] } {
  const p = new URLSearchParams(query);
  const messages: string[] = [];
  const id = (side: 'A' | 'B', key: string, fallback: string): string => {
    const v = p.get(key);
    if (v === null) return fallback;
    if (ID.test(v)) return v;
    messages.push(`${side}'s scenario "${v.slice(0, 80)}" is not a scenario id; ${fallback} was used.`);
    return fallback;
  };
  const a = { scenario: id('A', 'a', DEFAULT_COMPARE.a.scenario), patch: readPatch('A', p.get('pa'), messages) };
  const b = { scenario: id('B', 'b', DEFAULT_COMPARE.b.scenario), patch: readPatch('B', p.get('pb'), messages) };
  let seed = DEFAULT_COMPARE.seed;
  const seedText = p.get('seed');
  if (seedText !== null) {
    const n = /^\d{1,10}$/.test(seedText) ? Number(seedText) : NaN;
    if (Number.isInteger(n) && n <= 0xffff_ffff) seed = n;
    else messages.push(`The seed "${seedText.slice(0, 20)}" is not a whole number from 0 to 4294967295; seed ${seed} was used.`);
  }
  let atMs: number | null = null;
  const t = p.get('t');
  if (t !== null) {
    const n = Number(t);
    if (t !== '' && Number.isFinite(n) && n >= 0) atMs = Math.round(n * 1000) / 1000;
    else messages.push(`The playhead "${t.slice(0, 20)}" is not a time in ms; the view opens at the start.`);
  }
  let msg: string | null = null;
  const m = p.get('msg');
  if (m !== null) {
    if (MSG.test(m)) msg = m;
    else messages.push(`The message "${m.slice(0, 40)}" is not a client message id; none is drawn.`);
  }
  const interventions = readInterventions(p.get('iv'), messages);
  return { state: { a, b, seed, atMs, msg, interventions }, messages };
}

/** The query of a state (what follows `#/compare?`); defaults are written too, so a link is whole. */
export function compareQuery(s: CompareState): string {
  const p = new URLSearchParams();
  p.set('a', s.a.scenario);
  if (s.a.patch !== null) p.set('pa', JSON.stringify(s.a.patch));
  p.set('b', s.b.scenario);
  if (s.b.patch !== null) p.set('pb', JSON.stringify(s.b.patch));
  p.set('seed', String(s.seed));
  if (s.atMs !== null) p.set('t', String(s.atMs));
  if (s.msg !== null) p.set('msg', s.msg);
  if (s.interventions.length > 0) p.set('iv', JSON.stringify(s.interventions));
  return p.toString();
}

/** A side in words for its caption: `reordering-with-sequence + {"chat":{…}}, seed 42`. */
export function sideCaption(side: CompareSideState, seed: number): string {
  return `${side.scenario}${side.patch === null ? '' : ` + ${JSON.stringify(side.patch)}`}, seed ${seed}`;
}
