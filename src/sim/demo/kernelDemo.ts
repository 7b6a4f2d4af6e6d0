/**
 * The kernel's demo topology (scenario id `kernel-demo`): a few senders publish pings at Poisson
 * times to a hub with a real single-threaded CPU, and the hub relays each ping to every other
 * sender over jittery, unordered links. It exercises every kernel part — timers, the CPU queue,
 * the network, the trace — before the chat cluster exists, and it is what the app's first page
 * runs in a Web Worker.
 */
import { dist, poissonGapMs } from '../core/dist.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import type { SimulationConfig } from '../engine/simulation.ts';

type DemoMsg = { readonly type: 'ping'; readonly n: number } | { readonly type: 'relay'; readonly origin: string; readonly n: number };

interface SenderConfig {
  readonly hub: string;
  readonly pingsPerSec: number;
}

interface SenderState {
  readonly config: SenderConfig;
  sent: number;
  received: number;
}

const sender: NodeBehavior<SenderState, DemoMsg, null, SenderConfig> = {
  kind: 'demo-sender',
  // The config travels in the state, so a handler needs nothing but its arguments.
  init: (config) => ({ config, sent: 0, received: 0 }),
  handle(state, _now, input, ctx) {
    const { hub: hubId, pingsPerSec } = state.config;
    switch (input.type) {
      case 'started':
        return { state, effects: [fx.setTimer('ping', poissonGapMs(ctx.rng, pingsPerSec))] };
      case 'timer': {
        const n = state.sent + 1;
        return {
          state: { ...state, sent: n },
          effects: [fx.send(hubId, { type: 'ping', n }, 64), fx.setTimer('ping', poissonGapMs(ctx.rng, pingsPerSec))],
        };
      }
      case 'message':
        return { state: { ...state, received: state.received + 1 }, effects: [fx.trace('demo/relayReceived', { from: input.from, msg: input.msg })] };
    }
  },
};

const DEMO_HUB = 'hub';

const hub: NodeBehavior<{ relayed: number }, DemoMsg> = {
  kind: 'demo-hub',
  init: () => ({ relayed: 0 }),
  handle(state, _now, input, ctx) {
    if (input.type !== 'message' || input.msg.type !== 'ping') return { state, effects: [] };
    const effects: Effect<DemoMsg>[] = [];
    for (const id of ctx.nodeIds) {
      if (id !== ctx.id && id !== input.from) effects.push(fx.send(id, { type: 'relay', origin: input.from, n: input.msg.n }, 64));
    }
    return { state: { relayed: state.relayed + 1 }, effects };
  },
};

/** Options for {@link kernelDemo}. */
export interface KernelDemoOptions {
  readonly seed: number;
  /** Number of senders. Default 4. */
  readonly senders?: number;
  /** Pings per second per sender. Default 20. */
  readonly pingsPerSec?: number;
  /** Trace events kept in memory. Default 200,000. */
  readonly maxTraceEvents?: number;
}

/** Builds the `kernel-demo` topology. */
export function kernelDemo(options: KernelDemoOptions): SimulationConfig {
  const n = options.senders ?? 4;
  const senders = Array.from({ length: n }, (_, i) => `sender-${i + 1}`);
  return {
    seed: options.seed,
    trace: { maxEvents: options.maxTraceEvents ?? 200_000 },
    nodes: [
      { id: DEMO_HUB, behavior: hub, cpu: { serviceTime: dist.exponential(3), queueCapacity: 64, dropPolicy: 'drop-newest' } },
      ...senders.map((id) => ({ id, behavior: sender, config: { hub: DEMO_HUB, pingsPerSec: options.pingsPerSec ?? 20 } })),
    ],
    network: { defaultLink: { latencyMs: 5, jitter: dist.uniform(0, 20), fifo: false } },
  };
}
