/**
 * The work a scenario asks for, estimated from the scenario alone before anything is built, and
 * the budget above which a run is refused (the CLI runs it anyway with `--allow-long`; the
 * workbench never does). A scenario the schema accepts can still ask for years of virtual time,
 * a billion groups or a billion sends: each is valid alone, and each would start a run that never
 * finishes or a build that never returns. ADR 0012 has the model, the budget and every preset's
 * estimate.
 *
 * The estimate counts "events": trace events plus keep-alive messages counted instead of traced,
 * which is what the kernel's time goes into (a run of the million-users preset does about 19 M of
 * them in about a minute). Each term is a count of happenings times the events one of them costs
 * along its path (a send crosses client → gateway → server → chat → database → broker → servers →
 * gateway → each member, every hop a sent/delivered pair plus CPU events). Memory is estimated
 * separately from what a build allocates up front (per-user state, memberships, the limiter's
 * arrays). The estimate is rough on purpose (within a factor of a few, measured against the
 * presets in the ADR); the budget sits well above the largest preset so that no honest run is
 * refused, and far below the runs that never end.
 */
import { limiterKeysOf } from './bounds.ts';
import type { Scenario } from './schema.ts';

/** The most events a run may do without `--allow-long`: about 2.5× the million-users preset's estimate. */
export const WORK_BUDGET_EVENTS = 60_000_000;
/** The most memory a build may allocate up front: the million-users run's 2 GB heap target. */
export const MEMORY_BUDGET_BYTES = 2 * 1024 ** 3;

/** One term of the estimate: what it counts, its size, and how it was computed. */
export interface WorkTerm {
  readonly name: string;
  /** Events (for work terms) or bytes (for memory terms). */
  readonly amount: number;
  /** How the amount was computed, in words and numbers. */
  readonly detail: string;
}

/** The estimate of a run's work and memory, with every term. */
export interface WorkEstimate {
  /** The virtual time the estimate runs to (ms). */
  readonly untilMs: number;
  readonly events: number;
  readonly bytes: number;
  /** Work terms, largest first. */
  readonly workTerms: readonly WorkTerm[];
  /** Memory terms, largest first. */
  readonly memoryTerms: readonly WorkTerm[];
}

// Events one happening costs along its path, measured on the presets (ADR 0012): a send's own
// path (ack included) and each member it is delivered to; a keep-alive round trip (ping and pong
// through the gateway, two hops each way, CPU events included); a connection's setup; a health
// check or broker ping round trip; a fleet's timer tick; a presence or poll round trip.
const EVENTS_PER_SEND = 40;
const EVENTS_PER_DELIVERY = 8;
const EVENTS_PER_KEEPALIVE = 12;
/** A keep-alive counted rather than traced (`trace.control: 'counted'`) is one count per message. */
const EVENTS_PER_COUNTED_KEEPALIVE = 4;
const EVENTS_PER_CONNECT = 30;
const EVENTS_PER_ROUND_TRIP = 6;
const EVENTS_PER_TICK = 2;
const EVENTS_PER_POLL = 14;
/**
 * A `process-per-client` server's time slice (ADR 0016) is a queue pop and push with no handler
 * and no trace record: counted as a quarter of an event (an estimate, not measured).
 */
const EVENTS_PER_SLICE = 0.25;
// Bytes a build allocates per simulated user, per membership and per channel (ADR 0007 measured
// 1,068 bytes per user for the million-users run, memberships included), and per node-per-user
// client (a node, its runtime, its link and its client state).
const BYTES_PER_USER = 900;
const BYTES_PER_MEMBERSHIP = 48;
const BYTES_PER_CHANNEL = 200;
const BYTES_PER_CLIENT_NODE = 4_000;
const BYTES_PER_FLEET = 2_000;
const BYTES_PER_LIMITER_SLOT = 8;

const fmt = (n: number): string => (n >= 1e15 ? n.toExponential(2) : Math.round(n).toLocaleString('en-US'));
const seconds = (ms: number): string => `${fmt(ms / 1000)} s`;

/** The members a message reaches on average (size-weighted: a member of a big group sees more). */
function meanFanOut(s: Scenario): number {
  const w = s.workload;
  if (w.channels !== undefined && w.channels.length > 0) {
    let sum = 0;
    let sumSq = 0;
    for (const c of w.channels) {
      sum += c.members.length;
      sumSq += c.members.length * c.members.length;
    }
    return sum > 0 ? sumSq / sum : 1;
  }
  const group = w.groups.count === 0 ? 0 : w.groups.size.kind === 'fixed' ? w.groups.size.size : Math.min(w.users, w.groups.size.max);
  const parts = [w.personalChannels ? 1 : 0, w.privateChats > 0 ? 2 : 0, group].filter((x) => x > 0);
  return parts.length === 0 ? 1 : Math.max(...parts);
}

/** Memberships a build lays out: every member of every channel. */
function memberships(s: Scenario): number {
  const w = s.workload;
  if (w.channels !== undefined) return w.channels.reduce((n, c) => n + c.members.length, 0);
  const group = w.groups.size.kind === 'fixed' ? w.groups.size.size : Math.min(w.users, w.groups.size.max) / 2;
  return w.privateChats * 2 + w.groups.count * group + (w.personalChannels ? w.users : 0);
}

/**
 * Estimates the work and memory of running `s` to `untilMs` (default: its duration and settle).
 *
 * @example
 * estimateWork(parseScenario(presetById('group-chat')!.scenario).scenario).events; // about 120,000
 */
export function estimateWork(s: Scenario, untilMs = s.durationMs + s.settleMs): WorkEstimate {
  const w = s.workload;
  const T = untilMs;
  const sendingMs = Math.min(s.durationMs, T);
  // Every server of the pool may be in service (spares cost nothing until added, ADR 0014).
  const servers = s.topology.maxWsServers;
  const fleets = w.clients === 'fleets' ? Math.ceil(w.users / w.usersPerFleet) : 0;
  const fanOut = meanFanOut(s);
  const burst = 1 + w.burstProbability * (w.burstSize - 1);
  const sends = w.users * w.sendRatePerUserPerSec * (sendingMs / 1000) * burst + w.script.length;
  const heartbeats = w.users * (T / s.client.heartbeatIntervalMs);
  const channels = w.channels?.length ?? w.privateChats + w.groups.count;

  const work: WorkTerm[] = [
    {
      name: 'sends',
      amount: sends * (EVENTS_PER_SEND + EVENTS_PER_DELIVERY * fanOut),
      detail: `${fmt(w.users)} users × ${w.sendRatePerUserPerSec}/s × ${seconds(sendingMs)}${burst > 1 ? ` × ${burst < 100 ? burst.toFixed(2) : fmt(burst)} for bursts` : ''} = ${fmt(sends)} sends, each delivered to about ${fmt(fanOut)} members`,
    },
    {
      name: 'keep-alives',
      amount: heartbeats * (s.trace.control === 'counted' ? EVENTS_PER_COUNTED_KEEPALIVE : EVENTS_PER_KEEPALIVE),
      detail: `${fmt(w.users)} users × ${seconds(T)} / a heartbeat every ${seconds(s.client.heartbeatIntervalMs)} = ${fmt(heartbeats)} heartbeats`,
    },
    {
      name: 'connections',
      amount: w.warmStart ? w.users : w.users * EVENTS_PER_CONNECT * (1 + w.offlineFraction * (T / (w.meanOnlineMs + w.meanOfflineMs))),
      detail: `${fmt(w.users)} users connecting${w.offlineFraction > 0 ? `, ${w.offlineFraction} of them again every ${seconds(w.meanOnlineMs + w.meanOfflineMs)}` : ''}`,
    },
    {
      name: 'health checks and broker pings',
      amount: servers * (T / s.gateway.healthCheckIntervalMs + (s.broker.kind === 'none' ? 0 : T / 1000)) * EVENTS_PER_ROUND_TRIP,
      detail: `${servers} servers × ${seconds(T)} / a check every ${seconds(s.gateway.healthCheckIntervalMs)}`,
    },
    {
      name: 'fleet ticks',
      amount: fleets * (T / 100) * EVENTS_PER_TICK,
      detail: `${fmt(fleets)} fleets × ${seconds(T)} / a tick every 0.1 s`,
    },
    {
      name: 'nodes and channels',
      amount: (w.clients === 'nodes' ? w.users : fleets) + servers + channels + memberships(s),
      detail: `${fmt(channels)} channels with ${fmt(memberships(s))} memberships to lay out`,
    },
  ];
  if (s.transport === 'long-polling') {
    const polls = w.users * (T / s.pollTimeoutMs) + sends * fanOut;
    work.push({ name: 'long polls', amount: polls * EVENTS_PER_POLL, detail: `${fmt(w.users)} users × ${seconds(T)} / a poll every ${seconds(s.pollTimeoutMs)}, plus one per delivery` });
  }
  if (s.presence.enabled) {
    const switches = w.users * (T / s.presence.viewSwitchMeanMs);
    work.push({
      name: 'presence',
      amount: (switches + sends * s.presence.typingProbability) * fanOut * EVENTS_PER_ROUND_TRIP + (T / s.presence.sweepMs) * EVENTS_PER_TICK,
      detail: `${fmt(w.users)} users × ${seconds(T)} / a view switch every ${seconds(s.presence.viewSwitchMeanMs)}, and typing notices, to about ${fmt(fanOut)} members each`,
    });
  }
  if (s.largeGroups.mode !== 'push') {
    const pollers = s.largeGroups.mode === 'pull' ? memberships(s) : Math.min(memberships(s), w.users);
    const polls = pollers * (T / s.largeGroups.pollIntervalMs);
    work.push({ name: 'history polls', amount: polls * EVENTS_PER_POLL, detail: `${fmt(pollers)} members × ${seconds(T)} / a poll every ${seconds(s.largeGroups.pollIntervalMs)}` });
  }

  const pool = s.wsServer.workers;
  if (pool.model === 'process-per-client' && pool.quantumUs > 0) {
    // At worst every core is busy all the time and ends a slice each quantum; a server has at
    // most one key per user and its own.
    const cores = servers * Math.min(pool.workers, w.users + 1);
    const slices = (cores * T * 1000) / pool.quantumUs;
    work.push({ name: 'time slices', amount: slices * EVENTS_PER_SLICE, detail: `${fmt(cores)} cores × ${seconds(T)} / a ${fmt(pool.quantumUs)} µs quantum, at worst` });
  }

  const memory: WorkTerm[] = [
    { name: 'users', amount: w.users * BYTES_PER_USER + (w.clients === 'nodes' ? w.users * BYTES_PER_CLIENT_NODE : fleets * BYTES_PER_FLEET), detail: `${fmt(w.users)} users${fleets > 0 ? ` in ${fmt(fleets)} fleets` : ', a node each'}` },
    { name: 'memberships', amount: memberships(s) * BYTES_PER_MEMBERSHIP + channels * BYTES_PER_CHANNEL, detail: `${fmt(channels)} channels with ${fmt(memberships(s))} memberships` },
  ];
  if (s.rateLimit.enabled) {
    const keys = limiterKeysOf(s);
    const perKey = s.rateLimit.limiter.algorithm === 'sliding-log' ? s.rateLimit.limiter.limit + 1 : 3;
    memory.push({ name: 'the rate limiter', amount: keys * perKey * BYTES_PER_LIMITER_SLOT, detail: `${fmt(keys)} keys × ${fmt(perKey)} slots of 8 bytes` });
  }
  work.sort((a, b) => b.amount - a.amount);
  memory.sort((a, b) => b.amount - a.amount);
  const sum = (terms: readonly WorkTerm[]): number => terms.reduce((n, t) => n + t.amount, 0);
  return { untilMs: T, events: sum(work), bytes: sum(memory), workTerms: work, memoryTerms: memory };
}

/**
 * Why a run of `s` to `untilMs` is over the budget, in one sentence naming the biggest term, or
 * null when it is within it. The CLI and the workbench print the same sentence.
 *
 * @example
 * overBudget(scenarioWith({ durationMs: 1e12 }));
 * // 'this run would do about 4.5e+12 events of work, above the budget of 60,000,000 (biggest term: keep-alives: …)'
 */
export function overBudget(s: Scenario, untilMs?: number): string | null {
  const e = estimateWork(s, untilMs);
  if (e.events > WORK_BUDGET_EVENTS) {
    const top = e.workTerms[0] as WorkTerm;
    return (
      `this run would do about ${fmt(e.events)} events of work, above the budget of ${fmt(WORK_BUDGET_EVENTS)} ` +
      `(biggest term: ${top.name}, about ${fmt(top.amount)} events: ${top.detail})`
    );
  }
  if (e.bytes > MEMORY_BUDGET_BYTES) {
    const top = e.memoryTerms[0] as WorkTerm;
    return (
      `this run would allocate about ${fmt(e.bytes / 1024 ** 2)} MB up front, above the budget of ${fmt(MEMORY_BUDGET_BYTES / 1024 ** 2)} MB ` +
      `(biggest term: ${top.name}, about ${fmt(top.amount / 1024 ** 2)} MB: ${top.detail})`
    );
  }
  return null;
}
