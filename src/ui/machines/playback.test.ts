import { describe, expect, test } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { frameLoopLogic, playbackMachine } from './playback.ts';

/** A manual clock for the frame loop: frames run when the test says so. */
function manualClock() {
  let t = 0;
  let pending: (() => void) | null = null;
  return {
    now: () => t,
    request: (f: () => void) => {
      pending = f;
      return 1;
    },
    cancel: () => {
      pending = null;
    },
    /** Moves wall time on by `ms` and runs the next frame. */
    frame(ms: number) {
      t += ms;
      const f = pending;
      pending = null;
      f?.();
    },
  };
}

/** The machine with recording fakes for every actor. */
function setupMachine(options: { endAfterMs?: number } = {}) {
  const calls: string[] = [];
  const clock = manualClock();
  let advanced = 0;
  let releaseSeek: (() => void) | null = null;
  const machine = playbackMachine.provide({
    actors: {
      load: fromPromise(async ({ input }: { input: { scenario: string; seed: number; patch: unknown } }) => {
        calls.push(`load ${input.scenario} ${input.seed}${input.patch === undefined ? '' : ` ${JSON.stringify(input.patch)}`}`);
      }),
      step: fromPromise(async () => {
        calls.push('step');
      }),
      seek: fromPromise(
        ({ input }: { input: { toMs: number } }) =>
          new Promise<void>((resolve) => {
            calls.push(`seek ${input.toMs}`);
            releaseSeek = resolve;
          }),
      ),
      frameLoop: frameLoopLogic(async (ms) => {
        advanced += ms;
        calls.push(`advance ${ms}`);
        return { atEnd: options.endAfterMs !== undefined && advanced >= options.endAfterMs };
      }, clock),
    },
  });
  const actor = createActor(machine, { input: { scenario: 'group-chat', seed: 42 } }).start();
  return { actor, calls, clock, finishSeek: () => releaseSeek?.(), advanced: () => advanced };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('playback machine', () => {
  // Proves the machine loads first, then plays by asking for virtual time at the chosen speed
  // (wall ms × speed, fractions carried), and pauses.
  test('load, play at a speed, pause', async () => {
    const { actor, calls, clock, advanced } = setupMachine();
    await waitFor(actor, (s) => s.matches('paused'));
    expect(calls).toEqual(['load group-chat 42']);
    actor.send({ type: 'SPEED', speed: 0.1 });
    actor.send({ type: 'PLAY' });
    expect(actor.getSnapshot().value).toBe('playing');
    clock.frame(16);
    await flush();
    clock.frame(16);
    await flush();
    // 32 ms of wall time at 0.1× is 3.2 virtual ms: 1 ms, then 2 ms (the fraction carried).
    expect(advanced()).toBe(3);
    actor.send({ type: 'PAUSE' });
    clock.frame(1000);
    await flush();
    expect(advanced()).toBe(3);
  });

  // Proves a long gap (a background tab) is capped, so playback never leaps.
  test('a long wall gap is capped', async () => {
    const { actor, clock, advanced } = setupMachine();
    await waitFor(actor, (s) => s.matches('paused'));
    actor.send({ type: 'PLAY' });
    clock.frame(10_000);
    await flush();
    expect(advanced()).toBe(100);
  });

  // Proves seeks coalesce: while one runs, only the newest target is done next, and playback
  // resumes afterwards if it was playing.
  test('seeks coalesce and resume playback', async () => {
    const { actor, calls, finishSeek } = setupMachine();
    await waitFor(actor, (s) => s.matches('paused'));
    actor.send({ type: 'PLAY' });
    actor.send({ type: 'SEEK', toMs: 1000 });
    expect(actor.getSnapshot().value).toBe('seeking');
    actor.send({ type: 'SEEK', toMs: 2000 });
    actor.send({ type: 'SEEK', toMs: 3000 });
    finishSeek();
    await waitFor(actor, () => calls.includes('seek 3000'));
    finishSeek();
    await waitFor(actor, (s) => s.matches('playing'));
    expect(calls.filter((c) => c.startsWith('seek'))).toEqual(['seek 1000', 'seek 3000']);
  });

  // Proves stepping pauses playback and returns to paused; reaching the scenario's end pauses.
  test('step pauses; the end of the scenario pauses', async () => {
    const { actor, calls, clock } = setupMachine({ endAfterMs: 20 });
    await waitFor(actor, (s) => s.matches('paused'));
    actor.send({ type: 'PLAY' });
    actor.send({ type: 'STEP' });
    await waitFor(actor, (s) => s.matches('paused'));
    expect(calls).toContain('step');
    actor.send({ type: 'TOGGLE' });
    clock.frame(50);
    await waitFor(actor, (s) => s.matches('paused'));
  });

  // Proves a failure is shown and a new LOAD recovers.
  test('a failed load can be retried with another run', async () => {
    const machine = playbackMachine.provide({
      actors: {
        load: fromPromise(async ({ input }: { input: { scenario: string; seed: number; patch: unknown } }) => {
          if (input.scenario === 'nope') throw new Error('unknown scenario "nope"');
        }),
      },
    });
    const actor = createActor(machine, { input: { scenario: 'nope', seed: 1 } }).start();
    await waitFor(actor, (s) => s.matches('failed'));
    expect(actor.getSnapshot().context.error).toContain('unknown scenario');
    actor.send({ type: 'LOAD', scenario: 'group-chat', seed: 7 });
    await waitFor(actor, (s) => s.matches('paused'));
    expect(actor.getSnapshot().context).toMatchObject({ scenario: 'group-chat', seed: 7, error: null });
  });

  // Proves a lab's load carries its patch to the load actor and goes to the asked moment once
  // loaded (a seek after the load, not raced against it), then pauses there.
  test('a load with a patch and a moment loads the variant and then seeks', async () => {
    const { actor, calls, finishSeek } = setupMachine();
    await waitFor(actor, (s) => s.matches('paused'));
    actor.send({ type: 'LOAD', scenario: 'private-chat', seed: 7, patch: { presence: { enabled: true } }, seekToMs: 10_065.4 });
    await waitFor(actor, (s) => s.matches('seeking'));
    expect(calls.slice(-2)).toEqual(['load private-chat 7 {"presence":{"enabled":true}}', 'seek 10065']);
    finishSeek();
    await waitFor(actor, (s) => s.matches('paused'));
    // A plain load afterwards forgets the patch.
    actor.send({ type: 'LOAD', scenario: 'group-chat', seed: 7 });
    await waitFor(actor, (s) => s.matches('paused'));
    expect(calls.at(-1)).toBe('load group-chat 7');
  });
});
