/**
 * Rate limiting inside a node: the limiter's typed arrays live in the node's plain-data state (so
 * snapshots capture them); a live `Limiter` is attached to them on first use and cached per state
 * object. Keys are `user:<id>` or `ip:<address>`; users share an address `usersPerIp` at a time
 * (a NAT, a campus), which is how keying by IP punishes the innocent.
 */
import type { LimiterDecisionData } from '../contract/index.ts';
import { fx, type Effect } from '../core/node.ts';
import { Limiter, toDecisionData, type Decision, type LimiterArrays, type LimiterSpec } from '../limiter/limiter.ts';

/** Where and how requests are limited. */
export interface RateLimitConfig {
  readonly placement: 'gateway' | 'ws-server' | 'chat' | 'service';
  readonly keyBy: 'user' | 'ip';
  readonly usersPerIp: number;
  readonly spec: LimiterSpec;
  /** Distinct keys the limiter can hold. */
  readonly maxKeys: number;
}

/** A limiter's state inside a node (plain data). */
export interface LimiterSlot {
  readonly config: RateLimitConfig;
  readonly arrays: LimiterArrays;
  clockMs: number;
  /** key name → dense id. */
  ids: Record<string, number>;
  nextId: number;
}

const live = new WeakMap<LimiterArrays, Limiter>();

/** A fresh slot for a node's state. */
export function createSlot(config: RateLimitConfig): LimiterSlot {
  const arrays = new Limiter(config.spec, config.maxKeys).exportState().arrays;
  return { config, arrays, clockMs: 0, ids: {}, nextId: 0 };
}

/** The key a user's requests count against. */
export function keyOf(config: RateLimitConfig, user: string): string {
  if (config.keyBy === 'user') return `user:${user}`;
  const n = Number(user.slice(1)) - 1;
  const block = Math.floor(Math.max(0, n) / config.usersPerIp);
  return `ip:10.${(block >> 16) & 255}.${(block >> 8) & 255}.${block & 255}`;
}

/**
 * Decides one request. A key table that is full lets the request through (and says so in the
 * decision's key), rather than refusing users for a sizing choice.
 */
export function decide(slot: LimiterSlot, key: string, nowMs: number): { decision: Decision | null; data: LimiterDecisionData | null } {
  let id = slot.ids[key];
  if (id === undefined) {
    if (slot.nextId >= slot.config.maxKeys) return { decision: null, data: null };
    id = slot.nextId++;
    slot.ids[key] = id;
  }
  let lim = live.get(slot.arrays);
  if (lim === undefined) {
    lim = Limiter.attach(slot.config.spec, slot.config.maxKeys, slot.arrays, slot.clockMs);
    live.set(slot.arrays, lim);
  }
  // The limiters count whole ms (their arithmetic is exact in integers: limiter.ts); virtual time
  // is µs-exact (ADR 0010), so a request at 10.6 ms is decided at 10 ms. Flooring never moves
  // the clock backwards, and a limiter is never consulted for a time after the real one.
  const decision = lim.check(id, Math.floor(nowMs));
  slot.clockMs = lim.clock;
  return { decision, data: toDecisionData(slot.config.spec, key, slot.config.placement === 'service' ? 'limiter' : slot.config.placement, decision) };
}

/** The trace effect of a decision. */
export function decisionTrace(data: LimiterDecisionData, allowed: boolean): Effect<never, never> {
  return fx.trace(allowed ? 'limiter/allowed' : 'limiter/rejected', data);
}

/** The sentence a refused client reads. */
export function rateLimitedMessage(config: RateLimitConfig, retryAfterMs: number | null): string {
  const s = config.spec;
  return `rate limited: ${s.limit} per ${s.windowMs} ms (${s.algorithm}) per ${config.keyBy}${retryAfterMs === null ? '' : `; retry after ${retryAfterMs} ms`}`;
}
