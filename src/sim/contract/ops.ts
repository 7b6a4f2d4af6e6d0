/**
 * Operator verbs: the faults and interventions an instructor (or a scenario's fault script)
 * applies to a running cluster. Each one, when applied, becomes a trace event `op/<pastTense>`
 * carrying the verb as data, so replaying a trace's operator events into a fresh run with the same
 * seed reproduces the run exactly (see {@link opsFromTrace}).
 */
import type { TraceEvent } from './events.ts';
import { readWire, type WireMsg } from './protocol.ts';

/** A probability as an integer ratio `num / den` (see `core/dist.ts` for its constructors). */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

/** One operator verb. Node ids are the topology's. */
export type Op =
  /** Cut traffic from every node in `a` to every node in `b` (and back, unless `oneWay`). */
  | { readonly verb: 'partition'; readonly a: readonly string[]; readonly b: readonly string[]; readonly oneWay?: boolean | undefined }
  /** Heal the cuts between `a` and `b` (both ways), or every cut when both are omitted. */
  | { readonly verb: 'heal'; readonly a?: readonly string[] | undefined; readonly b?: readonly string[] | undefined }
  /** Crash a node: it loses its in-memory state, its queued inputs and its timers. */
  | { readonly verb: 'crash'; readonly node: string }
  /** Boot a crashed node again from its durable state. */
  | { readonly verb: 'restart'; readonly node: string }
  /** Multiply a node's service times by `factor` (1 restores normal speed). */
  | { readonly verb: 'slow'; readonly node: string; readonly factor: number }
  /** Add `extraMs` to every message on a link (0 removes it). */
  | { readonly verb: 'delay'; readonly from: string; readonly to: string; readonly extraMs: number; readonly twoWay?: boolean | undefined }
  /** Lose messages on a link with probability `ratio` (null restores the configured loss). */
  | { readonly verb: 'drop'; readonly from: string; readonly to: string; readonly ratio: Ratio | null; readonly twoWay?: boolean | undefined }
  /** Duplicate messages on a link with probability `ratio` (null restores the configured one). */
  | { readonly verb: 'duplicate'; readonly from: string; readonly to: string; readonly ratio: Ratio | null; readonly twoWay?: boolean | undefined }
  /** Hold every message on a link until `release`. */
  | { readonly verb: 'hold'; readonly from: string; readonly to: string; readonly twoWay?: boolean | undefined }
  /** Deliver what a link held, in order, and stop holding. */
  | { readonly verb: 'release'; readonly from: string; readonly to: string; readonly twoWay?: boolean | undefined }
  /** Nothing gets through a link before `durationMs` from now; then everything queued arrives. */
  | { readonly verb: 'clog'; readonly from: string; readonly to: string; readonly durationMs: number; readonly twoWay?: boolean | undefined }
  /** Hand a node a message as if `from` had sent it (the chat panel typing as a user). */
  | { readonly verb: 'inject'; readonly node: string; readonly from?: string | undefined; readonly msg: unknown }
  /**
   * Boot a spare WebSocket server (`node`, or the first of the spare pool that is not in service)
   * and add it to the gateway's rotation: scaling out (ADR 0014).
   */
  | { readonly verb: 'addServer'; readonly node?: string | undefined }
  /**
   * Drain a WebSocket server: the gateway stops routing new connections to it, it closes its
   * connections with `serverDraining` (clients reconnect elsewhere), and it stops `graceMs` later
   * (the default: Kubernetes' 30 s termination grace period). ADR 0014.
   */
  | { readonly verb: 'removeServer'; readonly node: string; readonly graceMs?: number | undefined };

/** How long a drained server keeps running before it stops, unless the verb says (Kubernetes' `terminationGracePeriodSeconds` default). */
export const DRAIN_GRACE_MS_DEFAULT = 30_000;

/** The verb of an operator's action. */
export type OpVerb = Op['verb'];

/** The operator verb `V`. */
export type OpOf<V extends OpVerb> = Extract<Op, { readonly verb: V }>;

/** An operator verb with the virtual time it applies at. */
export interface ScheduledOp {
  readonly at: number;
  readonly op: Op;
}

/** The trace event type each verb records. */
export const OP_EVENT = {
  partition: 'op/partitioned',
  heal: 'op/healed',
  crash: 'op/crashed',
  restart: 'op/restarted',
  slow: 'op/slowed',
  delay: 'op/delayed',
  drop: 'op/dropSet',
  duplicate: 'op/duplicationSet',
  hold: 'op/held',
  release: 'op/released',
  clog: 'op/clogged',
  inject: 'op/injected',
  addServer: 'op/serverAdded',
  removeServer: 'op/serverRemoved',
} as const satisfies Readonly<Record<OpVerb, `op/${string}`>>;

/** The trace event type of each verb, as a type. */
export type OpEventTypes = typeof OP_EVENT;

/** Every trace event type an operator verb records. */
export type OpEventType = OpEventTypes[OpVerb];

/** The operator verbs recorded in a trace, ready to replay into a fresh run. */
export function opsFromTrace(events: Iterable<TraceEvent>): ScheduledOp[] {
  const out: ScheduledOp[] = [];
  for (const e of events) {
    if (isOpEvent(e)) out.push({ at: e.at, op: e.data.op });
  }
  return out;
}

/**
 * The message a user typed, when the verb stands for a user at the keyboard (the chat panel's
 * send, injected at the user's client); null for an operator's fault or repair.
 *
 * @example
 * userSendOf({ verb: 'inject', node: 'c-u1', msg: { type: 'userSend', channel: 'general', text: 'hi' } })?.text; // 'hi'
 * userSendOf({ verb: 'crash', node: 'ws-2' }); // null
 */
export function userSendOf(op: Op): Extract<WireMsg, { readonly type: 'userSend' }> | null {
  if (op.verb !== 'inject') return null;
  const msg = readWire(op.msg);
  return msg !== null && msg.type === 'userSend' ? msg : null;
}

/**
 * True for a verb that stands for a user at the keyboard rather than an operator's fault or
 * repair: views count and draw it as the user's action, not as a fault.
 */
export function isUserAction(op: Op): boolean {
  return userSendOf(op) !== null || userMembershipOf(op) !== null;
}

/**
 * The join or leave a user asked for from their app (the chat panel, injected at the user's
 * client); null for anything else.
 *
 * @example
 * userMembershipOf({ verb: 'inject', node: 'c-u7', msg: { type: 'userMembership', channel: 'g1', action: 'join' } })?.action; // 'join'
 */
export function userMembershipOf(op: Op): Extract<WireMsg, { readonly type: 'userMembership' }> | null {
  if (op.verb !== 'inject') return null;
  const msg = readWire(op.msg);
  return msg !== null && msg.type === 'userMembership' ? msg : null;
}

/** True for the event an operator verb recorded (`op/*`), which carries the verb as `data.op`. */
export function isOpEvent(e: TraceEvent): e is Extract<TraceEvent, { readonly type: OpEventType }> {
  return e.type.startsWith('op/');
}
