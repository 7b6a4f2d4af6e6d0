/**
 * A lesson (ADR 0028): an ordered list of moments, each a link state (ADR 0027's `?s=` code) with a
 * title and the presenter's notes. Saved as a JSON file anyone can open, and kept in this browser's
 * storage. Reading one checks its shape with zod and every moment's link with the link reader, and
 * refuses a damaged file with sentences naming the moment and the field.
 */
import { z } from 'zod';
import { decodeLink } from '../link/decode.ts';
import { MAX_LINK_CHARS } from '../link/state.ts';

/** The lesson file's version. */
export const LESSON_VERSION = 1;
/** The most moments a lesson holds, and the longest title and notes. */
export const MAX_MOMENTS = 200;
export const MAX_TITLE = 200;
export const MAX_NOTES = 10_000;
/** The largest lesson file read, in characters. */
export const MAX_LESSON_CHARS = 4_000_000;

export interface Moment {
  readonly title: string;
  readonly notes: string;
  /** The moment's state as a link's code (`1.…`, what `?s=` holds). */
  readonly link: string;
}

export interface Lesson {
  readonly version: 1;
  readonly title: string;
  readonly moments: readonly Moment[];
}

export const EMPTY_LESSON: Lesson = { version: 1, title: 'Untitled lesson', moments: [] };

const momentSchema = z.strictObject({
  title: z.string().max(MAX_TITLE),
  notes: z.string().max(MAX_NOTES),
  link: z.string().min(1).max(MAX_LINK_CHARS),
});

const lessonSchema = z.strictObject({
  version: z.literal(LESSON_VERSION),
  title: z.string().max(MAX_TITLE),
  moments: z.array(momentSchema).max(MAX_MOMENTS),
});

/** A lesson's file text (pretty JSON, the fields in a fixed order). */
export function lessonJson(lesson: Lesson): string {
  const clean: Lesson = { version: 1, title: lesson.title, moments: lesson.moments.map((m) => ({ title: m.title, notes: m.notes, link: m.link })) };
  return `${JSON.stringify(clean, null, 2)}\n`;
}

/** A zod issue's place in a lesson, in words ("moment 2, field "link""). */
function placeOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the file';
  if (path[0] === 'moments') {
    if (path.length === 1) return 'the field "moments"';
    const index = typeof path[1] === 'number' ? path[1] + 1 : String(path[1]);
    return path.length === 2 ? `moment ${index}` : `moment ${index}, field "${String(path[2])}"`;
  }
  return `the field "${path.map(String).join('.')}"`;
}

/** The outcome of reading a lesson: the lesson, or every reason it was refused. */
export type LessonRead = { readonly ok: true; readonly lesson: Lesson } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * The lesson's shape checked (no link read yet): never throws.
 *
 * @example
 * checkLessonShape({ version: 1, title: 'x', moments: [{ title: 'a', notes: '', link: 3 }] });
 * // { ok: false, errors: ['moment 1, field "link": expected a string …'] }
 */
export function checkLessonShape(value: unknown): LessonRead {
  const parsed = lessonSchema.safeParse(value);
  if (parsed.success) return { ok: true, lesson: parsed.data };
  const errors = parsed.error.issues.slice(0, 10).map((issue) => `${placeOf(issue.path)}: ${issue.message}`);
  if (parsed.error.issues.length > 10) errors.push(`…and ${parsed.error.issues.length - 10} more problems.`);
  return { ok: false, errors };
}

/**
 * A lesson file's text as a lesson: its JSON, its shape and every moment's link are checked; a
 * moment whose link the reader would open with a message (damaged, another version, an unknown
 * scenario…) refuses the lesson, naming the moment. Never throws.
 */
export async function readLesson(text: string): Promise<LessonRead> {
  if (text.length > MAX_LESSON_CHARS) return { ok: false, errors: [`the file is ${text.length} characters long, more than the ${MAX_LESSON_CHARS} a lesson may have`] };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, errors: [`the file is not JSON (${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'})`] };
  }
  const shape = checkLessonShape(value);
  if (!shape.ok) return shape;
  const errors: string[] = [];
  for (const [i, moment] of shape.lesson.moments.entries()) {
    const { messages } = await decodeLink(moment.link);
    if (messages.length > 0) errors.push(`moment ${i + 1} (${JSON.stringify(moment.title.slice(0, 60))}), field "link": ${messages.join(' ')}`);
    if (errors.length >= 10) break;
  }
  return errors.length > 0 ? { ok: false, errors } : shape;
}

/** Where this browser keeps the lesson being built. */
export const LESSON_KEY = 'switchboard.lesson.v1';

type LessonStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The storage, or null where it is blocked. */
export function lessonStorage(): LessonStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The lesson kept in this browser (its shape checked; its links are checked when a moment opens),
 * with a sentence when the saved one was damaged and dropped.
 */
export function loadSavedLesson(storage: LessonStorage | null): { lesson: Lesson; note: string | null } {
  let text: string | null;
  try {
    text = storage?.getItem(LESSON_KEY) ?? null;
  } catch {
    return { lesson: EMPTY_LESSON, note: 'This browser’s storage could not be read; the lesson starts empty.' };
  }
  if (text === null) return { lesson: EMPTY_LESSON, note: null };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { lesson: EMPTY_LESSON, note: 'The lesson saved in this browser was damaged (not JSON); it starts empty.' };
  }
  const shape = checkLessonShape(value);
  return shape.ok ? { lesson: shape.lesson, note: null } : { lesson: EMPTY_LESSON, note: `The lesson saved in this browser was damaged (${shape.errors[0] ?? 'unreadable'}); it starts empty.` };
}

/** Keeps the lesson in this browser; false (nothing thrown) when the storage refuses (full, blocked). */
export function saveLesson(storage: LessonStorage | null, lesson: Lesson): boolean {
  if (storage === null) return false;
  try {
    storage.setItem(LESSON_KEY, lessonJson(lesson));
    return true;
  } catch {
    return false;
  }
}

/** A lesson with moment `from` moved to `to` (indices clamped). */
export function moveMoment(lesson: Lesson, from: number, to: number): Lesson {
  const moments = [...lesson.moments];
  if (from < 0 || from >= moments.length) return lesson;
  const [m] = moments.splice(from, 1);
  if (m === undefined) return lesson;
  moments.splice(Math.max(0, Math.min(moments.length, to)), 0, m);
  return { ...lesson, moments };
}

/** A lesson without moment `index`. */
export function removeMoment(lesson: Lesson, index: number): Lesson {
  return { ...lesson, moments: lesson.moments.filter((_, i) => i !== index) };
}

/** The file name a lesson downloads as. */
export function lessonFileName(lesson: Lesson): string {
  const stem = lesson.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${stem === '' ? 'lesson' : stem}.lesson.json`;
}
