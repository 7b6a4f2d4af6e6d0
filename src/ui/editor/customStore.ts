/**
 * Custom scenarios kept in localStorage (ADR 0030): a list of `{ name, base, patch }`. Reading
 * never throws: damaged JSON or a damaged entry is dropped with a sentence saying what and why;
 * writing reports a full or refused storage as a sentence too. Loaded with the page, so it checks
 * the shape only (no zod): the scenario itself is checked by the editor and by the session that
 * loads it, which refuses a bad patch with a message.
 */
import type { CustomScenario } from '../../sim/index.ts';
import { isRecord } from '../record.ts';

/** The localStorage key (versioned: a later shape gets a new key and a migration). */
export const CUSTOM_KEY = 'switchboard.customScenarios.v1';
/** How long a name may be. */
export const MAX_NAME = 80;
/** How many custom scenarios are kept. */
export const MAX_CUSTOMS = 200;

/** The part of Storage used here (tests pass a map). */
export type CustomStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The browser's localStorage, or null when the page may not use it. */
export function customStorage(): CustomStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Why a name cannot be used, or null when it can. */
export function nameProblem(name: string, taken: readonly string[] = []): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'a name is needed';
  if (trimmed.length > MAX_NAME) return `a name has at most ${MAX_NAME} characters`;
  if (taken.includes(trimmed)) return `"${trimmed}" is taken`;
  return null;
}

/** A short quote of a value for a message (rendered as text). */
function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** The saved custom scenarios and a sentence for each entry dropped. */
export function readCustoms(storage: CustomStorage | null): { customs: CustomScenario[]; messages: string[] } {
  if (storage === null) return { customs: [], messages: [] };
  let text: string | null;
  try {
    text = storage.getItem(CUSTOM_KEY);
  } catch (error) {
    return { customs: [], messages: [`Your saved scenarios could not be read (${error instanceof Error ? error.message : String(error)}).`] };
  }
  if (text === null) return { customs: [], messages: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { customs: [], messages: ['Your saved scenarios were damaged (not JSON) and were dropped.'] };
  }
  if (!Array.isArray(data)) return { customs: [], messages: ['Your saved scenarios were damaged (not a list) and were dropped.'] };
  const customs: CustomScenario[] = [];
  const messages: string[] = [];
  data.forEach((entry: unknown, i) => {
    const what = isRecord(entry) && typeof entry['name'] === 'string' ? `"${entry['name'].slice(0, MAX_NAME)}"` : `entry ${i + 1}`;
    if (!isRecord(entry)) return void messages.push(`Dropped saved scenario ${what}: it is not an object.`);
    const { name, base, patch } = entry;
    if (typeof name !== 'string' || nameProblem(name, customs.map((c) => c.name)) !== null) return void messages.push(`Dropped saved scenario ${what}: its name ${quoted(name)} is missing, too long or repeated.`);
    if (typeof base !== 'string' || !PRESET_ID.test(base)) return void messages.push(`Dropped saved scenario ${what}: its preset ${quoted(base)} is not a preset id.`);
    if (!isRecord(patch)) return void messages.push(`Dropped saved scenario ${what}: its changes are not an object.`);
    if (customs.length >= MAX_CUSTOMS) return void messages.push(`Dropped saved scenario ${what}: at most ${MAX_CUSTOMS} are kept.`);
    customs.push({ name: name.trim(), base, patch });
  });
  return { customs, messages };
}

/** Writes the list; returns a sentence when the storage refuses (full, private mode), else null. */
export function writeCustoms(storage: CustomStorage | null, customs: readonly CustomScenario[]): string | null {
  if (storage === null) return 'This browser does not let the page keep data, so the scenario was not saved (export it as a file instead).';
  try {
    storage.setItem(CUSTOM_KEY, JSON.stringify(customs));
    return null;
  } catch (error) {
    const full = error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
    return full
      ? 'The browser\'s storage for this page is full, so the scenario was not saved: delete some saved scenarios, or export it as a file.'
      : `The scenario was not saved (${error instanceof Error ? error.message : String(error)}); export it as a file instead.`;
  }
}

/** The list with `custom` saved under its name (replacing `replacing`, or an entry of the same name). */
export function withCustom(customs: readonly CustomScenario[], custom: CustomScenario, replacing: string | null = null): CustomScenario[] {
  const out = customs.filter((c) => c.name !== custom.name && c.name !== replacing);
  const at = customs.findIndex((c) => c.name === (replacing ?? custom.name));
  out.splice(at === -1 ? out.length : Math.min(at, out.length), 0, custom);
  return out;
}
