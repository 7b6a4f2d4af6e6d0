/**
 * Playback as a state machine: loading a run, playing it at a speed, pausing, stepping one event,
 * and seeking. It orchestrates calls to the simulation and holds no simulation truth: its context
 * is what the person chose (scenario, seed, speed) and where they asked to go. The answers (time,
 * events, diagrams) go straight from the actors to the session store.
 *
 * The actors are placeholders here and are provided by the app (`machine.provide`), so the machine
 * is tested with fakes and the app with the real worker.
 */
import { assign, fromCallback, fromPromise, setup } from 'xstate';

/** Playback speeds offered, as virtual ms per wall ms: from following one message to skipping a minute. */
export const SPEEDS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50] as const;

/** The default speed: real time. */
export const DEFAULT_SPEED = 1;

/** Longest wall-clock gap one frame accounts for, so a background tab does not leap on return. */
export const MAX_FRAME_GAP_MS = 100;

export interface PlaybackContext {
  scenario: string;
  seed: number;
  /** A JSON merge patch over the preset (a lab's variant), or undefined for the preset itself. */
  patch: unknown;
  /** Virtual ms per wall ms. */
  speed: number;
  /** The last failure, as text. */
  error: string | null;
  /** The newest seek asked for and not yet started (seeks coalesce while one runs). */
  seekTarget: number | null;
  /** The seek running now. */
  seekingTo: number;
  /** Play again once the seek is done. */
  resume: boolean;
}

export type PlaybackEvent =
  /** Loads a run; a lab's run carries its patch, and may ask for the playhead at a moment once loaded. */
  | { type: 'LOAD'; scenario: string; seed: number; patch?: unknown; seekToMs?: number }
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'TOGGLE' }
  | { type: 'STEP' }
  | { type: 'SEEK'; toMs: number }
  | { type: 'SPEED'; speed: number }
  | { type: 'END_REACHED' }
  | { type: 'FAILED'; error: unknown };

export interface PlaybackInput {
  scenario: string;
  seed: number;
  patch?: unknown;
  speed?: number;
}

/** What one frame of playback asks the simulation: advance by `ms`; `atEnd` pauses playback. */
export type AdvanceFn = (ms: number) => Promise<{ readonly atEnd: boolean }>;

/** Input of the frame loop. */
export interface FrameLoopInput {
  readonly speed: number;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The frame loop as actor logic: once per animation frame it turns the wall time since the last
 * frame into virtual time at `speed` and asks for that much, one awaited call at a time, keeping
 * the fraction of a millisecond for the next frame. Slow answers never pile up calls.
 *
 * @example
 * playbackMachine.provide({ actors: { frameLoop: frameLoopLogic((ms) => session.advance(ms)) } });
 */
export function frameLoopLogic(
  advance: AdvanceFn,
  clock: { now: () => number; request: (f: () => void) => number; cancel: (h: number) => void } = {
    now: () => performance.now(),
    request: (f) => requestAnimationFrame(f),
    cancel: (h) => cancelAnimationFrame(h),
  },
) {
  return fromCallback<PlaybackEvent, FrameLoopInput>(({ sendBack, input }) => {
    let stopped = false;
    let handle = 0;
    let lastWall = clock.now();
    let owedMs = 0;
    let inFlight = false;
    const tick = (): void => {
      if (stopped) return;
      const wall = clock.now();
      owedMs += Math.min(MAX_FRAME_GAP_MS, wall - lastWall) * input.speed;
      lastWall = wall;
      const whole = Math.floor(owedMs);
      if (!inFlight && whole >= 1) {
        owedMs -= whole;
        inFlight = true;
        advance(whole)
          .then(({ atEnd }) => {
            inFlight = false;
            if (!stopped && atEnd) sendBack({ type: 'END_REACHED' });
          })
          .catch((error: unknown) => {
            inFlight = false;
            if (!stopped) sendBack({ type: 'FAILED', error });
          });
      }
      handle = clock.request(tick);
    };
    handle = clock.request(tick);
    return () => {
      stopped = true;
      clock.cancel(handle);
    };
  });
}

/**
 * The playback machine. States: `loading` → `paused` ⇄ `playing`; `stepping` and `seeking` are
 * short calls that return to where they came from; `failed` waits for a new LOAD.
 *
 * @example
 * const actor = createActor(playbackMachine.provide({ actors: { load, step, seek, frameLoop } }), {
 *   input: { scenario: 'group-chat', seed: 42 },
 * }).start();
 * actor.send({ type: 'PLAY' });
 */
export const playbackMachine = setup({
  types: {
    context: {} as PlaybackContext,
    events: {} as PlaybackEvent,
    input: {} as PlaybackInput,
  },
  actors: {
    load: fromPromise<void, { scenario: string; seed: number; patch: unknown }>(async () => {
      throw new Error('playback: provide a load actor');
    }),
    step: fromPromise<void, void>(async () => {
      throw new Error('playback: provide a step actor');
    }),
    seek: fromPromise<void, { toMs: number }>(async () => {
      throw new Error('playback: provide a seek actor');
    }),
    frameLoop: fromCallback<PlaybackEvent, FrameLoopInput>(() => () => undefined),
  },
  guards: {
    seekPending: ({ context }) => context.seekTarget !== null,
    resume: ({ context }) => context.resume,
  },
  actions: {
    rememberRun: assign(({ event, context }) =>
      event.type === 'LOAD' ? { scenario: event.scenario, seed: event.seed, patch: event.patch, error: null, seekTarget: event.seekToMs === undefined ? null : Math.max(0, Math.floor(event.seekToMs)), resume: false } : context,
    ),
    rememberSeek: assign(({ event, context }) => (event.type === 'SEEK' ? { seekTarget: Math.max(0, Math.floor(event.toMs)) } : context)),
    setSpeed: assign(({ event, context }) => (event.type === 'SPEED' && event.speed > 0 && Number.isFinite(event.speed) ? { speed: event.speed } : context)),
    setError: assign(({ event }) => ({ error: message((event as { error?: unknown }).error) })),
    resumeAfter: assign({ resume: true }),
    stayPaused: assign({ resume: false }),
  },
}).createMachine({
  id: 'playback',
  context: ({ input }) => ({
    scenario: input.scenario,
    seed: input.seed,
    patch: input.patch,
    speed: input.speed ?? DEFAULT_SPEED,
    error: null,
    seekTarget: null,
    seekingTo: 0,
    resume: false,
  }),
  initial: 'loading',
  on: {
    LOAD: { target: '.loading', reenter: true, actions: 'rememberRun' },
    SPEED: { actions: 'setSpeed' },
  },
  states: {
    loading: {
      invoke: {
        src: 'load',
        input: ({ context }) => ({ scenario: context.scenario, seed: context.seed, patch: context.patch }),
        // A load that asked for a moment goes there at once (a lab step opening at its figure).
        onDone: [{ guard: 'seekPending', target: 'seeking' }, { target: 'paused' }],
        onError: { target: 'failed', actions: 'setError' },
      },
    },
    paused: {
      on: {
        PLAY: 'playing',
        TOGGLE: 'playing',
        STEP: 'stepping',
        SEEK: { target: 'seeking', actions: ['rememberSeek', 'stayPaused'] },
      },
    },
    playing: {
      invoke: {
        src: 'frameLoop',
        input: ({ context }) => ({ speed: context.speed }),
      },
      on: {
        PAUSE: 'paused',
        TOGGLE: 'paused',
        END_REACHED: 'paused',
        STEP: 'stepping',
        // A new speed restarts the loop with it; time owed at the old speed is dropped.
        SPEED: { target: 'playing', reenter: true, actions: 'setSpeed' },
        SEEK: { target: 'seeking', actions: ['rememberSeek', 'resumeAfter'] },
        FAILED: { target: 'failed', actions: 'setError' },
      },
    },
    stepping: {
      invoke: {
        src: 'step',
        onDone: 'paused',
        onError: { target: 'failed', actions: 'setError' },
      },
    },
    seeking: {
      entry: assign(({ context }) => ({ seekingTo: context.seekTarget ?? context.seekingTo, seekTarget: null })),
      invoke: {
        src: 'seek',
        input: ({ context }) => ({ toMs: context.seekingTo }),
        onDone: [
          { guard: 'seekPending', target: 'seeking', reenter: true },
          { guard: 'resume', target: 'playing' },
          { target: 'paused' },
        ],
        onError: { target: 'failed', actions: 'setError' },
      },
      on: {
        // Seeks asked for while one runs are coalesced: only the newest is done next.
        SEEK: { actions: 'rememberSeek' },
        PLAY: { actions: 'resumeAfter' },
        TOGGLE: { actions: 'resumeAfter' },
        PAUSE: { actions: 'stayPaused' },
      },
    },
    failed: {},
  },
});

export type PlaybackMachine = typeof playbackMachine;
