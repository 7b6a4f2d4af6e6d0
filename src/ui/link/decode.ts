/**
 * Reading a link (ADR 0027): every field is checked on its own with zod, the scenario part (the
 * preset, the patch over it, each intervention's verb and the nodes it names) with the scenario
 * files' own parser, and whatever is damaged is dropped with a sentence naming what was ignored
 * and why; the rest is used. Loaded with the first link opened (it carries the scenario schema).
 */
import { z } from 'zod';
import { overBudget, parseScenario, presetById, type Op, type Scenario } from '../../sim/index.ts';
import { DEFAULT_LINK_STATE, LINK_DIAGRAMS, unpackLink, type LinkIntervention, type LinkState } from './state.ts';
import { isRecord } from '../record.ts';

/** What a link opens, and every sentence about what it ignored. */
export interface DecodedLink {
  readonly state: LinkState;
  readonly messages: readonly string[];
}

/** The most interventions a link may carry (more are dropped, with a message). */
export const MAX_LINK_INTERVENTIONS = 500;
/** How far past the scenario's end a playhead or an intervention may be, in virtual ms. */
export const PAST_END_MS = 600_000;
/** How deep a patch may nest. */
const MAX_PATCH_DEPTH = 12;
/** Keys that could reach an object's prototype: never merged. */
const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const ID = /^[A-Za-z0-9][\w-]{0,63}$/;
const idSchema = z.string().regex(ID);
const seedSchema = z.number().int().min(0).max(0xffff_ffff);
const timeSchema = z.number().finite().min(0);
const messageSchema = z.string().regex(/^[A-Za-z0-9][\w:.@-]{0,127}$/);
const keySchema = z.string().regex(/^[A-Za-z0-9][\w:.@/-]{0,127}$/);
const KNOWN_FIELDS = new Set(['lab', 'step', 'sc', 'p', 'seed', 'iv', 't', 'd', 'm', 'k', 'th']);

/** A value as a short, printable quote for a message (never markup: the page renders it as text). */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = '(unprintable)';
  }
  // oxlint-disable-next-line no-control-regex -- control characters are what is being removed.
  text = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}


/** A patch with hostile keys removed (each named), or null when it is too deep. */
function cleanPatch(value: Record<string, unknown>, path: string, dropped: string[], depth = 0): Record<string, unknown> | null {
  if (depth > MAX_PATCH_DEPTH) return null;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (HOSTILE_KEYS.has(key)) {
      dropped.push(`${path}.${key}`);
      continue;
    }
    if (isRecord(v)) {
      const inner = cleanPatch(v, `${path}.${key}`, dropped, depth + 1);
      if (inner === null) return null;
      out[key] = inner;
    } else if (Array.isArray(v)) {
      const items: unknown[] = [];
      for (const item of v) {
        if (isRecord(item)) {
          const inner = cleanPatch(item, `${path}.${key}[]`, dropped, depth + 1);
          if (inner === null) return null;
          items.push(inner);
        } else items.push(item);
      }
      out[key] = items;
    } else out[key] = v;
  }
  // Plain prototype again: the sim's merge and parser expect ordinary objects.
  return { ...out };
}

/** JSON merge patch (RFC 7386) over a clean patch: objects merge, the rest replaces, null deletes. */
function merge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** The first few problems of a list, for one sentence. */
const few = (errors: readonly string[]): string => (errors.length <= 3 ? errors.join('; ') : `${errors.slice(0, 3).join('; ')}; and ${errors.length - 3} more`);

/**
 * The state a link's text opens, with a message for everything it ignored. Never throws: a link
 * that cannot be read at all opens the default state with one message saying why.
 *
 * @example
 * const { state, messages } = await decodeLink(new URLSearchParams(location.search).get('s') ?? '');
 */
export async function decodeLink(text: string): Promise<DecodedLink> {
  try {
    const unpacked = await unpackLink(text);
    if (!unpacked.ok) return { state: DEFAULT_LINK_STATE, messages: [`The link could not be read: ${unpacked.why}. Opened the default run instead.`] };
    return validateLink(unpacked.value);
  } catch (error) {
    // Nothing above is expected to throw; if something does, the page still opens.
    return { state: DEFAULT_LINK_STATE, messages: [`The link could not be read (${quote(error instanceof Error ? error.message : error)}). Opened the default run instead.`] };
  }
}

/** A link's parsed content as a valid state, field by field (see `decodeLink`). */
export function validateLink(raw: unknown): DecodedLink {
  const messages: string[] = [];
  if (!isRecord(raw)) return { state: DEFAULT_LINK_STATE, messages: ['The link could not be read: it does not hold a state (an object of fields). Opened the default run instead.'] };
  const ignored = (what: string, why: string, used?: string) => messages.push(`Ignored the link's ${what}: ${why}${used === undefined ? '' : `; used ${used} instead`}.`);

  const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) ignored(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map(quote).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`, 'this version of the link has no such field');
  const field = (k: string): unknown => (Object.prototype.hasOwnProperty.call(raw, k) ? raw[k] : undefined);

  // Lab and step.
  let lab: LinkState['lab'] = null;
  const labRaw = field('lab');
  if (labRaw !== undefined) {
    if (idSchema.safeParse(labRaw).success) lab = { id: labRaw as string, step: null };
    else ignored(`lab ${quote(labRaw)}`, 'a lab id is letters, digits, "-" and "_"', 'free play');
  }
  const stepRaw = field('step');
  if (stepRaw !== undefined) {
    if (lab === null) ignored(`step ${quote(stepRaw)}`, 'it names no lab');
    else if (idSchema.safeParse(stepRaw).success) lab = { id: lab.id, step: stepRaw as string };
    else ignored(`step ${quote(stepRaw)}`, 'a step id is letters, digits, "-" and "_"', "the lab's saved step");
  }

  // Seed.
  let seed = DEFAULT_LINK_STATE.seed;
  const seedRaw = field('seed');
  if (seedRaw !== undefined) {
    if (seedSchema.safeParse(seedRaw).success) seed = seedRaw as number;
    else ignored(`seed ${quote(seedRaw)}`, 'a seed is a whole number from 0 to 4294967295', String(seed));
  }

  // Scenario: a preset of the catalog (heavy ones run from the command line only), or the kernel demo.
  let scenarioId = DEFAULT_LINK_STATE.scenario;
  const scRaw = field('sc');
  let scenarioOk = true;
  if (scRaw !== undefined) {
    const known = typeof scRaw === 'string' && ID.test(scRaw) && (scRaw === 'kernel-demo' || (presetById(scRaw) !== undefined && presetById(scRaw)?.heavy !== true));
    if (known) scenarioId = scRaw;
    else {
      scenarioOk = false;
      ignored(`scenario ${quote(scRaw)}`, typeof scRaw === 'string' && presetById(scRaw)?.heavy === true ? 'it is too big for a browser tab (run it from the command line)' : 'there is no such scenario', scenarioId);
    }
  }
  const preset = presetById(scenarioId);

  // The patch, validated as a scenario file would be once merged over the preset.
  let patch: LinkState['patch'] = null;
  let scenario: Scenario | null = null;
  /** The scenario as written (the preset with the patch merged), for checking verbs against it. */
  let scenarioInput: unknown = preset?.scenario ?? null;
  const base = preset === undefined ? null : parseScenario(preset.scenario);
  if (base !== null && base.ok) scenario = base.scenario;
  const pRaw = field('p');
  if (pRaw !== undefined) {
    if (!scenarioOk) ignored("scenario overrides", 'they were written for a scenario this link cannot open');
    else if (preset === undefined) ignored('scenario overrides', `${scenarioId} takes none`);
    else if (!isRecord(pRaw)) ignored(`scenario overrides ${quote(pRaw)}`, 'overrides are an object of scenario fields');
    else {
      const dropped: string[] = [];
      const clean = cleanPatch(pRaw, 'overrides', dropped);
      if (clean === null) ignored('scenario overrides', `they nest deeper than ${MAX_PATCH_DEPTH} levels`);
      else {
        if (dropped.length > 0) ignored(dropped.slice(0, 3).map(quote).join(', '), 'such keys are never merged');
        const parsed = parseScenario(merge(preset.scenario, clean));
        if (!parsed.ok) ignored('scenario overrides', `with them ${scenarioId} is not a valid scenario (${few(parsed.errors)})`, `${scenarioId} as it is`);
        else {
          const tooBig = overBudget(parsed.scenario);
          if (tooBig !== null) ignored('scenario overrides', tooBig, `${scenarioId} as it is`);
          else if (Object.keys(clean).length > 0) {
            patch = clean;
            scenario = parsed.scenario;
            scenarioInput = merge(preset.scenario, clean);
          }
        }
      }
    }
  }

  // How late a moment may be: the scenario's end plus some idle time.
  const endMs = scenario === null ? 0 : scenario.durationMs + scenario.settleMs;
  const latestMs = endMs + PAST_END_MS;

  // Interventions, each checked with the scenario files' fault schema against this scenario's nodes.
  const interventions: LinkIntervention[] = [];
  const ivRaw = field('iv');
  if (ivRaw !== undefined) {
    if (!scenarioOk) ignored('interventions', 'they were written for a scenario this link cannot open');
    else if (!Array.isArray(ivRaw)) ignored('interventions', 'they are a list of [time, verb] pairs');
    else {
      if (ivRaw.length > MAX_LINK_INTERVENTIONS) ignored(`interventions after the first ${MAX_LINK_INTERVENTIONS}`, 'a link holds no more');
      ivRaw.slice(0, MAX_LINK_INTERVENTIONS).forEach((item, i) => {
        const at = Array.isArray(item) ? (item[0] as unknown) : undefined;
        const op = Array.isArray(item) ? (item[1] as unknown) : undefined;
        const name = `intervention ${i + 1}`;
        if (!Array.isArray(item) || item.length !== 2) return ignored(name, 'it is not a [time, verb] pair');
        if (!timeSchema.safeParse(at).success) return ignored(`${name} (time ${quote(at)})`, 'a time is a number of ms from 0');
        const atMs = Math.round((at as number) * 1000) / 1000;
        if (atMs > latestMs) return ignored(`${name} (time ${atMs} ms)`, `it is more than ${PAST_END_MS / 60_000} minutes after the scenario's end (${endMs} ms)`);
        const problem = opProblem(scenario === null ? null : scenarioInput, op);
        if (problem !== null) return ignored(`${name} (${quote(isRecord(op) ? op['verb'] : op)})`, problem);
        interventions.push({ at: atMs, op: op as Op });
      });
      interventions.sort((a, b) => a.at - b.at);
    }
  }

  // The playhead.
  let nowMs = 0;
  const tRaw = field('t');
  if (tRaw !== undefined) {
    if (!timeSchema.safeParse(tRaw).success) ignored(`playhead ${quote(tRaw)}`, 'a moment is a number of ms from 0', 'the start');
    else {
      const t = Math.round((tRaw as number) * 1000) / 1000;
      if (t > latestMs) ignored(`playhead ${quote(tRaw)}`, `it is more than ${PAST_END_MS / 60_000} minutes after the scenario's end (${endMs} ms)`, 'the start');
      else if (scenario !== null && overBudget(scenario, t) !== null) ignored(`playhead ${quote(tRaw)}`, overBudget(scenario, t) as string, 'the start');
      else nowMs = t;
    }
  }

  // The view.
  let diagram = DEFAULT_LINK_STATE.diagram;
  const dRaw = field('d');
  if (dRaw !== undefined) {
    if (LINK_DIAGRAMS.includes(dRaw as never)) diagram = dRaw as LinkState['diagram'];
    else ignored(`diagram ${quote(dRaw)}`, `the diagrams are ${LINK_DIAGRAMS.join(', ')}`, diagram);
  }
  let message: string | null = null;
  const mRaw = field('m');
  if (mRaw !== undefined) {
    if (messageSchema.safeParse(mRaw).success) message = mRaw as string;
    else ignored(`followed message ${quote(mRaw)}`, 'a message id is letters, digits and ":._@-"', 'the newest message');
  }
  let rateLimitKey: string | null = null;
  const kRaw = field('k');
  if (kRaw !== undefined) {
    if (keySchema.safeParse(kRaw).success) rateLimitKey = kRaw as string;
    else ignored(`rate-limit key ${quote(kRaw)}`, 'a key is letters, digits and ":._@/-"', 'the busiest key');
  }
  let theme: LinkState['theme'] = null;
  const thRaw = field('th');
  if (thRaw !== undefined) {
    if (thRaw === 'light' || thRaw === 'dark') theme = thRaw;
    else ignored(`theme ${quote(thRaw)}`, 'the themes are light and dark', 'your own');
  }

  return { state: { lab, scenario: scenarioId, patch, seed, interventions, nowMs, diagram, message, rateLimitKey, theme }, messages };
}

/**
 * Why a verb cannot be used in this scenario, or null: it goes through the scenario files' own
 * schema as a fault of the scenario (so its nodes are checked against the scenario's topology).
 */
function opProblem(scenarioInput: unknown, op: unknown): string | null {
  if (!isRecord(op)) return 'a verb is an object such as {"verb":"crash","node":"ws-1"}';
  if (!isRecord(scenarioInput)) return 'this scenario takes no verbs from a link';
  const parsed = parseScenario({ ...scenarioInput, faults: [{ at: 0, op }] });
  if (parsed.ok) return null;
  return few(parsed.errors.map((e) => e.replace(/^scenario\.faults\[0\]\./, '')));
}
