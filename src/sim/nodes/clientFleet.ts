/**
 * A client fleet: one node that plays many users at once, for runs with a million of them, where
 * a node per user would cost a kilobyte of bookkeeping each. It speaks the same protocol as the
 * single `client` (each frame wrapped with its user), but keeps its users in typed arrays and
 * drives them with one periodic tick instead of a timer per user:
 *
 * - heartbeats: user i pings every `heartbeatIntervalMs` at a fixed phase (its index spread over
 *   the interval), so the fleet sends a steady stream of pings, as a real population does;
 * - sends: one Poisson process for the whole fleet (rate = users × per-user rate), each send from
 *   a uniformly drawn user to one of their channels;
 * - receiving: every delivered message is shown at once (`client/messageShown`), in arrival order.
 *
 * A fleet models steady load. It does not reorder, deduplicate, retry or reconnect: the small
 * presets, with one `client` node per user, are where those behaviours are studied.
 */
import type { ClientFrame, ServerFrame, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { sampleExponentialMs } from '../core/dist.ts';
import { NODE } from './protocol.ts';

/** Fleet configuration. */
export interface FleetConfig {
  /** User ids, in index order. */
  readonly users: readonly string[];
  /** Each user's channels. */
  readonly channels: readonly (readonly string[])[];
  readonly heartbeatIntervalMs: number;
  readonly sendRatePerUserPerSec: number;
  readonly workloadEndMs: number;
  /** Tick period: pings due within a tick go out together. */
  readonly tickMs: number;
  /** Chance that a send goes to the user's first channel (their personal channel) rather than another. */
  readonly firstChannelShare: number;
  /** Warm start: the server each user is already connected to (null: not warm; fleets do not connect). */
  readonly servers: readonly string[] | null;
}

/** Fleet state: per-user figures in typed arrays. */
export interface FleetState {
  readonly config: FleetConfig;
  /**
   * User → index, built only if a user id does not follow the fleet's numbering (see
   * {@link userIndex}): a million users need no million-entry map for the common case.
   */
  index: Map<string, number> | null;
  /** The number in the first user's id (`u<N>`), or -1 when it has none. */
  firstNumber: number;
  lastPongAtMs: Float64Array;
  shown: Int32Array;
  sent: Int32Array;
  pings: number;
}

type Fx = Effect<WireMsg, unknown>[];

function frame(user: string, f: ClientFrame, bytes: number): Effect<WireMsg, unknown> {
  const msg: WireMsg = { type: 'fromUser', user, frame: f };
  return f.type === 'ping' ? fx.control<WireMsg>(NODE.gateway, msg, bytes) : fx.send<WireMsg>(NODE.gateway, msg, bytes);
}

/** The N of a user id `u<N>` (decimal digits, no sign), or -1 for any other id. */
function idNumber(user: string): number {
  const len = user.length;
  if (len < 2 || len > 16 || user.charCodeAt(0) !== 117 /* u */) return -1;
  let n = 0;
  for (let k = 1; k < len; k++) {
    const d = user.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A user's index in the fleet, or undefined if the fleet does not play them. Fleets hold users
 * `u<K+1>`…`u<K+n>` in order, so the index is read from the id and confirmed against the list;
 * any other id is found through a map built on first need. The answer is the same either way
 * (a fleet's users are distinct: the scenario builder hands each user to exactly one fleet).
 */
function userIndex(state: FleetState, user: string): number | undefined {
  const users = state.config.users;
  if (state.firstNumber >= 0) {
    const num = idNumber(user);
    const i = num - state.firstNumber;
    if (num >= 0 && i >= 0 && i < users.length && users[i] === user) return i;
  }
  if (state.index === null) {
    state.index = new Map();
    for (let k = 0; k < users.length; k++) state.index.set(users[k] as string, k);
  }
  return state.index.get(user);
}

export const clientFleet: NodeBehavior<FleetState, WireMsg, unknown, FleetConfig> = {
  kind: 'client-fleet',
  init: (config) => {
    const n = config.users.length;
    return {
      config,
      index: null,
      firstNumber: n > 0 ? idNumber(config.users[0] as string) : -1,
      lastPongAtMs: new Float64Array(n),
      shown: new Int32Array(n),
      sent: new Int32Array(n),
      pings: 0,
    };
  },
  handle(state, now, input, ctx) {
    const out: Fx = [];
    const c = state.config;
    const n = c.users.length;
    if (input.type === 'started') {
      // A warm start: every user is already connected. The checkers know it from the cluster's
      // facts (ClusterInfo.warmStartUsers), so no per-user event is recorded.
      out.push(fx.setTimer('tick', c.tickMs));
      if (c.sendRatePerUserPerSec > 0 && n > 0) out.push(fx.setTimer('send', sampleExponentialMs(ctx.rng, 1000 / (c.sendRatePerUserPerSec * n))));
      return { state, effects: out };
    }
    if (input.type === 'timer') {
      if (input.timerId === 'tick') {
        // Users whose ping phase falls in [now, now + tick): a contiguous index range. In whole
        // µs (ADR 0010), so a tick that started off the ms grid (a restart at 10.004 ms) still
        // splits the users exactly, with no float remainder moving a boundary.
        const interval = Math.round(c.heartbeatIntervalMs * 1000);
        const from = Math.round(now * 1000) % interval;
        const to = from + Math.round(c.tickMs * 1000);
        const first = Math.ceil((from * n) / interval);
        const last = Math.min(n, Math.ceil((to * n) / interval));
        for (let i = first; i < last; i++) {
          state.pings++;
          out.push(frame(c.users[i] as string, { type: 'ping', n: state.pings }, 22));
        }
        out.push(fx.setTimer('tick', c.tickMs));
      } else if (input.timerId === 'send') {
        if (now >= c.workloadEndMs) return { state, effects: out };
        const i = ctx.rng.nextInt(n);
        const user = c.users[i] as string;
        const channels = c.channels[i] as readonly string[];
        if (channels.length > 0) {
          const first = channels.length === 1 || ctx.rng.chance(Math.round(c.firstChannelShare * 1_000_000), 1_000_000);
          const channel = first ? (channels[0] as string) : (channels[1 + ctx.rng.nextInt(channels.length - 1)] as string);
          state.sent[i] = (state.sent[i] as number) + 1;
          const clientMsgId = `${user}-${state.sent[i]}`;
          const text = `hello #${state.sent[i]} from ${user}`;
          out.push(fx.trace('client/messageSent', { user, channel, clientMsgId, text }));
          out.push(frame(user, { type: 'send', clientMsgId, channel, text }, 70 + text.length * 2));
        }
        out.push(fx.setTimer('send', sampleExponentialMs(ctx.rng, 1000 / (c.sendRatePerUserPerSec * n))));
      }
      return { state, effects: out };
    }
    const msg = input.msg;
    if (msg.type !== 'toUser') return { state, effects: out };
    const i = userIndex(state, msg.user);
    if (i === undefined) return { state, effects: out };
    const f: ServerFrame = msg.frame;
    switch (f.type) {
      case 'pong':
        state.lastPongAtMs[i] = now;
        break;
      case 'deliver': {
        const m = f.message;
        const position = state.shown[i] as number;
        state.shown[i] = position + 1;
        out.push(fx.trace('client/messageShown', { user: msg.user, channel: m.channel, id: m.id, seq: m.seq, author: m.author, clientMsgId: m.clientMsgId, position }));
        break;
      }
      case 'sendAck':
        out.push(fx.trace('client/sendAcked', { user: msg.user, channel: f.channel, clientMsgId: f.clientMsgId, id: f.id, seq: f.seq }));
        break;
      case 'sendError':
        out.push(fx.trace('client/sendFailed', { user: msg.user, channel: f.channel, clientMsgId: f.clientMsgId, code: f.code, message: f.message }));
        break;
      default:
        break;
    }
    return { state, effects: out };
  },
};
