import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LINK_STATE, encodeLink } from '../link/state.ts';
import { checkLessonShape, EMPTY_LESSON, LESSON_KEY, lessonFileName, lessonJson, loadSavedLesson, moveMoment, readLesson, removeMoment, saveLesson, type Lesson } from './lesson.ts';

const memory = (init: Record<string, string> = {}) => {
  const data = new Map(Object.entries(init));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
};

async function sampleLesson(): Promise<Lesson> {
  const first = await encodeLink({ ...DEFAULT_LINK_STATE, nowMs: 2_000 });
  const second = await encodeLink({ ...DEFAULT_LINK_STATE, scenario: 'reordering-without-sequence', seed: 7, interventions: [{ at: 1_500, op: { verb: 'crash', node: 'ws-2' } }], nowMs: 4_000, diagram: 'pubsub' });
  return {
    version: 1,
    title: 'Ordering <b>after</b> a crash',
    moments: [
      { title: 'Group chat', notes: 'Who sees what, when.', link: first },
      { title: 'A crash A->>B: %%{init}%%', notes: 'Line 1\nLine 2', link: second },
    ],
  };
}

describe('lessons', () => {
  // Proves a lesson exported as a file reads back as the same lesson, links and all.
  test('export then open is the identity', async () => {
    const lesson = await sampleLesson();
    const read = await readLesson(lessonJson(lesson));
    expect(read).toEqual({ ok: true, lesson });
    const text = fc.string({ maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.record({ title: text, notes: text, pick: fc.integer({ min: 0, max: 1 }) }), { maxLength: 4 }), async (title, moments) => {
        const l: Lesson = { version: 1, title, moments: moments.map((m) => ({ title: m.title, notes: m.notes, link: lesson.moments[m.pick]?.link ?? '' })) };
        expect(await readLesson(lessonJson(l))).toEqual({ ok: true, lesson: l });
      }),
      { numRuns: 40 },
    );
  });

  // Proves a damaged file is refused with the moment and the field named, and a damaged link with
  // the link reader's own sentence.
  test('a damaged lesson is refused, naming what and where', async () => {
    const lesson = await sampleLesson();
    expect(await readLesson('{"version":1,')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^the file is not JSON/)] });
    const wrong = JSON.parse(lessonJson(lesson)) as { moments: Record<string, unknown>[] };
    (wrong.moments[1] as Record<string, unknown>)['link'] = 42;
    const bad = await readLesson(JSON.stringify(wrong));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^moment 2, field "link": /);
    expect(await readLesson(JSON.stringify({ ...lesson, version: 2 }))).toMatchObject({ ok: false, errors: [expect.stringMatching(/^the field "version"/)] });
    const damagedLink = { ...lesson, moments: [lesson.moments[0], { ...lesson.moments[1], link: '1.AAAA' }] };
    const dl = await readLesson(JSON.stringify(damagedLink));
    expect(dl.ok).toBe(false);
    if (!dl.ok) expect(dl.errors[0]).toMatch(/^moment 2 \("A crash A->>B: %%\{init\}%%"\), field "link": The link could not be read/);
    const unknownScenario = await encodeLink({ ...DEFAULT_LINK_STATE, scenario: 'no-such-preset' });
    const us = await readLesson(JSON.stringify({ ...lesson, moments: [{ title: 'x', notes: '', link: unknownScenario }] }));
    expect(us.ok).toBe(false);
    if (!us.ok) expect(us.errors[0]).toMatch(/^moment 1 \("x"\), field "link": .*no-such-preset/);
  });

  // Proves no damaged lesson (any JSON, any mutation of a good file) makes the reader throw.
  test('a damaged lesson never throws', async () => {
    const good = lessonJson(await sampleLesson());
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const read = await readLesson(JSON.stringify(value));
        expect(typeof read.ok).toBe('boolean');
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: good.length }), fc.string({ maxLength: 4 }), async (at, end, insert) => {
        const read = await readLesson(good.slice(0, at) + insert + good.slice(Math.max(at, end)));
        expect(typeof read.ok).toBe('boolean');
      }),
      { numRuns: 150 },
    );
    expect(checkLessonShape(null).ok).toBe(false);
  });

  // Proves the lesson is kept in this browser, a damaged saved copy starts empty with a sentence,
  // and a full or blocked storage is reported instead of thrown.
  test('kept in storage; damaged or refused storage is survived', async () => {
    const lesson = await sampleLesson();
    const storage = memory();
    expect(saveLesson(storage, lesson)).toBe(true);
    expect(loadSavedLesson(storage)).toEqual({ lesson, note: null });
    expect(loadSavedLesson(memory())).toEqual({ lesson: EMPTY_LESSON, note: null });
    expect(loadSavedLesson(memory({ [LESSON_KEY]: '{not json' })).note).toMatch(/damaged/);
    expect(loadSavedLesson(memory({ [LESSON_KEY]: '{"version":1,"title":3,"moments":[]}' })).note).toMatch(/damaged \(the field "title"/);
    const full = { getItem: () => null, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
    expect(saveLesson(full, lesson)).toBe(false);
    expect(saveLesson(null, lesson)).toBe(false);
    const blocked = { getItem: () => { throw new Error('blocked'); }, setItem: () => undefined };
    expect(loadSavedLesson(blocked).note).toMatch(/could not be read/);
  });

  // Proves moments are reordered and deleted as the panel's buttons say, and the file is named from the title.
  test('reorder, delete, file name', async () => {
    const lesson = await sampleLesson();
    expect(moveMoment(lesson, 1, 0).moments.map((m) => m.title)).toEqual([lesson.moments[1]?.title, lesson.moments[0]?.title]);
    expect(moveMoment(lesson, 0, 9).moments.map((m) => m.title)).toEqual([lesson.moments[1]?.title, lesson.moments[0]?.title]);
    expect(moveMoment(lesson, 5, 0)).toBe(lesson);
    expect(removeMoment(lesson, 0).moments).toEqual([lesson.moments[1]]);
    expect(lessonFileName(lesson)).toBe('ordering-b-after-b-a-crash.lesson.json');
    expect(lessonFileName({ ...lesson, title: '///' })).toBe('lesson.lesson.json');
  });
});
