/**
 * Small node behaviours for kernel tests and benchmarks. They are real nodes (sans-IO, traced),
 * just with no chat logic, so tests can pin kernel behaviour without the cluster.
 */
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';

/** One message a {@link scripted} node sends at a given virtual time. */
export interface ScriptedSend {
  readonly atMs: number;
  readonly to: string;
  readonly msg: unknown;
  readonly bytes?: number;
}

/** State of a {@link scripted} node. */
export interface ScriptedState {
  readonly sends: readonly ScriptedSend[];
  received: { at: number; from: string; msg: unknown }[];
  boots: number;
}

/**
 * Sends its script (via timers), and records everything it receives in its state and as a
 * `test/received` trace event. Keeps `boots` across crashes as its durable state.
 */
export const scripted: NodeBehavior<ScriptedState, unknown, number, { sends?: readonly ScriptedSend[] }> = {
  kind: 'test-scripted',
  init: (config, _ctx, durable) => ({ sends: config?.sends ?? [], received: [], boots: typeof durable === 'number' ? durable + 1 : 1 }),
  durable: (state) => state.boots,
  handle(state, now, input) {
    switch (input.type) {
      case 'started': {
        if (input.restart) return { state, effects: [] };
        const effects: Effect<unknown, number>[] = state.sends.map((s, i) => fx.setTimer(`send-${i}`, s.atMs - now, i));
        return { state, effects };
      }
      case 'timer': {
        const s = state.sends[input.payload] as ScriptedSend;
        return { state, effects: [fx.send(s.to, s.msg, s.bytes)] };
      }
      case 'message':
        state.received.push({ at: now, from: input.from, msg: input.msg });
        return { state, effects: [fx.trace('test/received', { from: input.from, msg: input.msg })] };
    }
  },
};

/** Answers every message by sending it back. */
export const echo: NodeBehavior<{ count: number }> = {
  kind: 'test-echo',
  init: () => ({ count: 0 }),
  handle(state, _now, input) {
    if (input.type !== 'message') return { state, effects: [] };
    state.count++;
    return { state, effects: [fx.send(input.from, input.msg)] };
  },
};

/**
 * The "hold" model of a DES benchmark: on boot it arms `timers` timers; each one, when it fires,
 * re-arms itself after a uniform 1..100 ms. The pending count stays constant, and the handler
 * is trivial, so a run measures the kernel itself.
 */
export const holdModel: NodeBehavior<{ fired: number; timers: number }, never, null, { timers: number }> = {
  kind: 'bench-hold',
  init: (config) => ({ fired: 0, timers: config.timers }),
  handle(state, _now, input, ctx) {
    if (input.type === 'started') {
      return { state, effects: Array.from({ length: state.timers }, (_, i) => fx.setTimer(`t${i}`, ctx.rng.intBetween(1, 100))) };
    }
    if (input.type === 'timer') {
      state.fired++;
      return { state, effects: [fx.setTimer(input.timerId, ctx.rng.intBetween(1, 100))] };
    }
    return { state, effects: [] };
  },
};
