/**
 * Small node behaviours for kernel tests and benchmarks. They are real nodes (sans-IO, traced),
 * just with no chat logic, so tests can pin kernel behaviour without the cluster.
 */
import { poissonGapMs } from '../core/dist.ts';
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

/** Configuration of a {@link poissonSource}. */
export interface PoissonSourceConfig {
  /** The node every arrival is sent to. */
  readonly to: string;
  /** Arrivals per second. */
  readonly ratePerSec: number;
  /** Arrivals sent in all; then the source falls silent. */
  readonly count: number;
}

/**
 * A Poisson source: sends `count` messages (the numbers 1..count) to `to`, with exponential gaps
 * of mean 1000 / ratePerSec ms between them (drawn in whole µs by `poissonGapMs`). With a
 * constant link latency and no jitter, the arrivals at `to` are the same Poisson process shifted
 * in time: the "M" of an M/M/1 queue.
 */
export const poissonSource: NodeBehavior<{ readonly config: PoissonSourceConfig; sent: number }, number, null, PoissonSourceConfig> = {
  kind: 'test-poisson-source',
  init: (config) => ({ config, sent: 0 }),
  handle(state, _now, input, ctx) {
    if (input.type === 'message' || (input.type === 'started' && input.restart)) return { state, effects: [] };
    const c = state.config;
    const effects: Effect<number, null>[] = [];
    if (input.type === 'timer') {
      state.sent++;
      effects.push(fx.send(c.to, state.sent));
    }
    if (state.sent < c.count) effects.push(fx.setTimer('arrival', poissonGapMs(ctx.rng, c.ratePerSec)));
    return { state, effects };
  },
};

/**
 * A server that only consumes: every message costs its CPU model's service time and nothing
 * else. With an exponential service time and a large queue it is the "M/1" of an M/M/1 queue;
 * the kernel's per-node figures (`report()`: queue wait and sojourn means) measure it.
 */
export const sink: NodeBehavior<{ received: number }> = {
  kind: 'test-sink',
  init: () => ({ received: 0 }),
  handle(state, _now, input) {
    if (input.type === 'message') state.received++;
    return { state, effects: [] };
  },
};
