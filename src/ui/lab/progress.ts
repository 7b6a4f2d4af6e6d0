/**
 * Lab progress kept in the browser: per lab, the open step, the seed, and per step the student's
 * controls, committed prediction, whiteboard diagram and whether it is done. One versioned key holds every lab, so a
 * later format can move to `…v2` and read this one. What is read is checked: a corrupt entry (or a
 * whole corrupt key) is set aside with a note for the person, never a crash.
 */
import { z } from 'zod';
import type { SavedLab } from '../machines/labProgress.ts';

/** The key of the saved progress; the version is part of it. */
export const PROGRESS_KEY = 'switchboard.labs.progress.v1';

const controlValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.number())]);
const prediction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choice'), option: z.string() }),
  z.object({ kind: z.literal('number'), value: z.number() }),
  z.object({ kind: z.literal('allowDeny'), allowed: z.array(z.boolean()) }),
]);
const savedLab = z.object({
  stepIndex: z.number().int().min(0),
  stepId: z.string().max(200).optional(),
  seed: z.number().int().min(0).max(0xffff_ffff),
  steps: z.record(z.string(), z.object({ controls: z.record(z.string(), controlValue), prediction: prediction.nullable(), done: z.boolean(), answer: z.string().max(200_000).optional() })),
});

/** The minimal storage the progress needs (localStorage, or a fake in tests). */
export type ProgressStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The browser's localStorage, or null where there is none (or it is blocked). */
export function browserStorage(): ProgressStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readAll(storage: ProgressStorage | null): { all: Record<string, unknown>; note: string | null } {
  if (storage === null) return { all: {}, note: null };
  let text: string | null;
  try {
    text = storage.getItem(PROGRESS_KEY);
  } catch {
    return { all: {}, note: 'Saved lab progress could not be read (storage is blocked); progress will not be kept.' };
  }
  if (text === null) return { all: {}, note: null };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return { all: parsed as Record<string, unknown>, note: null };
  } catch {
    return { all: {}, note: 'Saved lab progress was not readable and has been set aside; the labs start fresh.' };
  }
}

/**
 * A lab's saved progress, or null; with a note when something saved could not be used.
 *
 * @example
 * loadProgress(localStorage, 'message-flow'); // { saved: { stepIndex: 2, seed: 42, steps: {…} }, note: null }
 */
export function loadProgress(storage: ProgressStorage | null, labId: string): { saved: SavedLab | null; note: string | null } {
  const { all, note } = readAll(storage);
  if (note !== null) return { saved: null, note };
  const entry = all[labId];
  if (entry === undefined) return { saved: null, note: null };
  const parsed = savedLab.safeParse(entry);
  if (!parsed.success) return { saved: null, note: `The saved progress of this lab was not readable (${parsed.error.issues[0]?.path.join('.') || 'entry'}: ${parsed.error.issues[0]?.message ?? 'invalid'}); the lab starts fresh.` };
  return { saved: parsed.data, note: null };
}

/** Saves a lab's progress, keeping the other labs'. Returns false when storage refused. */
export function saveProgress(storage: ProgressStorage | null, labId: string, saved: SavedLab): boolean {
  if (storage === null) return false;
  const { all } = readAll(storage);
  try {
    storage.setItem(PROGRESS_KEY, JSON.stringify({ ...all, [labId]: saved }));
    return true;
  } catch {
    return false;
  }
}

/** Steps done per lab, for the home screen (labs with unreadable entries count none). */
export function doneCounts(storage: ProgressStorage | null): Record<string, number> {
  const { all } = readAll(storage);
  const out: Record<string, number> = {};
  for (const [id, entry] of Object.entries(all)) {
    const parsed = savedLab.safeParse(entry);
    if (parsed.success) out[id] = Object.values(parsed.data.steps).filter((s) => s.done).length;
  }
  return out;
}
