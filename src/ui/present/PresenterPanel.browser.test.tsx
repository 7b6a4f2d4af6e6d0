import { beforeEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { useState } from 'react';
import { DEFAULT_LINK_STATE, encodeLink } from '../link/state.ts';
import { createMainThreadClient } from '../runtime/simClient.ts';
import { EMPTY_LESSON, LESSON_KEY, lessonJson, type Lesson } from './lesson.ts';
import Presentation from './Presentation.tsx';
import { PresenterPanel, type PanelView } from './PresenterPanel.tsx';

const VIEW: PanelView = { scenario: 'group-chat', seed: 42, nowMs: 2_500, status: 'paused', diagram: 'sequence', traceHash: 'abc', labStep: null, lab: null };

/** The panel over a lesson held in state, as the presenter holds it. */
function Harness({ initial, onGo }: { initial: Lesson; onGo: (i: number) => void }) {
  const [lesson, setLesson] = useState(initial);
  const [index, setIndex] = useState<number | null>(null);
  return (
    <PresenterPanel
      lesson={lesson}
      onLesson={setLesson}
      index={index}
      onGo={(i) => {
        setIndex(i);
        onGo(i);
      }}
      view={VIEW}
      current={async () => ({ state: { ...DEFAULT_LINK_STATE, nowMs: 2_500 }, code: await encodeLink({ ...DEFAULT_LINK_STATE, nowMs: 2_500 }) })}
      audienceUrl="/?audience=t1"
      channelMissing={false}
      storageNote={null}
      controls={() => null}
      onLeave={() => undefined}
    />
  );
}

beforeEach(() => localStorage.removeItem(LESSON_KEY));

// Proves the panel builds a lesson: "Add this moment" takes the state on screen with a title and
// notes, moments are reordered and deleted, "Next:" names the next one, and text with markup
// characters renders as text.
test('add, reorder and delete moments; the next moment is named', async () => {
  const went: number[] = [];
  await render(<Harness initial={EMPTY_LESSON} onGo={(i) => went.push(i)} />);
  await expect.element(page.getByTestId('presenter-next')).toHaveTextContent('No moments yet');
  await page.getByLabelText('Moment title').fill('<b>first</b>');
  await page.getByLabelText('Notes').fill('say hello');
  await page.getByTestId('add-moment').click();
  await expect.element(page.getByRole('button', { name: '1. <b>first</b>' })).toBeVisible();
  await page.getByTestId('add-moment').click();
  await expect.element(page.getByRole('button', { name: '2. group-chat, seed 42, t = 2.500 s' })).toBeVisible();
  await expect.element(page.getByTestId('presenter-next')).toHaveTextContent('Next: <b>first</b>');
  await page.getByRole('button', { name: 'Move moment 2 up' }).click();
  await expect.element(page.getByRole('button', { name: '1. group-chat, seed 42, t = 2.500 s' })).toBeVisible();
  await page.getByRole('button', { name: '2. <b>first</b>' }).click();
  expect(went).toEqual([1]);
  await expect.element(page.getByTestId('presenter-now').getByRole('heading')).toHaveTextContent('2/2: <b>first</b>');
  await expect.element(page.getByText('say hello')).toBeVisible();
  await page.getByRole('button', { name: 'Delete moment 1' }).click();
  await expect.element(page.getByTestId('moments').getByRole('listitem')).toHaveLength(1);
});

// Proves a damaged lesson file is refused with the moment and field named, and a sound one opens
// on its first moment.
test('a lesson file: damaged refused with a message, sound opened', async () => {
  const went: number[] = [];
  await render(<Harness initial={EMPTY_LESSON} onGo={(i) => went.push(i)} />);
  const input = page.getByTestId('open-lesson');
  await userEvent.upload(input, new File(['{"version":1,"title":"x","moments":[{"title":"a","notes":"","link":7}]}'], 'bad.lesson.json', { type: 'application/json' }));
  await expect.element(page.getByTestId('lesson-error')).toHaveTextContent('bad.lesson.json: moment 1, field "link"');
  const lesson: Lesson = { version: 1, title: 'Two moments', moments: [{ title: 'A', notes: '', link: await encodeLink(DEFAULT_LINK_STATE) }, { title: 'B', notes: 'n', link: await encodeLink({ ...DEFAULT_LINK_STATE, seed: 7 }) }] };
  await userEvent.upload(input, new File([lessonJson(lesson)], 'good.lesson.json', { type: 'application/json' }));
  await expect.element(page.getByText('Opened “Two moments” (2 moments).')).toBeVisible();
  expect(went).toEqual([0]);
  await expect.element(page.getByTestId('presenter-next')).toHaveTextContent('Next: B');
});

// Proves the clicker keys drive the presenter: PageDown opens the next moment's run (its seed on
// screen), PageUp the previous one, and a key typed in a text field stays the field's.
test('the presenter: PageDown/PageUp step through the lesson', async () => {
  const lesson: Lesson = { version: 1, title: 'Seeds', moments: [{ title: 'Seed 5', notes: '', link: await encodeLink({ ...DEFAULT_LINK_STATE, seed: 5 }) }, { title: 'Seed 6', notes: '', link: await encodeLink({ ...DEFAULT_LINK_STATE, seed: 6 }) }] };
  localStorage.setItem(LESSON_KEY, lessonJson(lesson));
  const address = `${location.pathname}${location.search}`;
  try {
    await render(<Presentation route={{ role: 'presenter', id: 'browser-test' }} code={null} createClient={createMainThreadClient} onLeave={() => undefined} />);
    const now = page.getByTestId('presenter-now');
    await expect.poll(() => now.element().getAttribute('data-status')).toBe('paused');
    await expect.element(now).toHaveAttribute('data-seed', '42');
    await userEvent.keyboard('{PageDown}');
    await expect.element(now).toHaveAttribute('data-seed', '5');
    await userEvent.keyboard('{PageDown}');
    await expect.element(now).toHaveAttribute('data-seed', '6');
    await page.getByLabelText('Notes').click();
    await userEvent.keyboard('{PageUp}');
    await userEvent.keyboard('{Escape}');
    await expect.element(now).toHaveAttribute('data-seed', '6');
    (document.activeElement as HTMLElement | null)?.blur();
    await userEvent.keyboard('{PageUp}');
    await expect.element(now).toHaveAttribute('data-seed', '5');
    await expect.element(now.getByRole('heading')).toHaveTextContent('1/2: Seed 5');
  } finally {
    history.replaceState(null, '', address);
  }
});
