/**
 * The placement lab's runs: the rate-limit-burst preset turned into a group of eight where u1
 * floods the group (a scripted send every 200 ms from 5 s to 45 s, on top of the Poisson sends
 * every user makes) while the seven others chat at their usual rate. The limiter is a token
 * bucket of 20 per 60 s per user (a burst of 20, then one every 3 s): the seven normal users, at
 * one send every 5 s on average, stay well under it; u1, at five a second, cannot. Each run
 * changes one thing: where the limiter sits, a failure, or what the limit is keyed by.
 */
import type { LabRun, ScenarioPatch } from '../framework/index.ts';

/** The abusive user and the channel every user is in. */
export const ABUSER = 'u1';
export const CHANNEL = 'g1';

const MEMBERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];

/** u1's flood: one send every 200 ms from 5 s to 45 s (200 sends). */
const FLOOD = Array.from({ length: 200 }, (_, i) => ({ atMs: 5_000 + i * 200, user: ABUSER, channel: CHANNEL, text: `flood ${i + 1}` }));

export type Placement = 'gateway' | 'ws-server' | 'chat' | 'service';

/** The workload and the limiter, at one placement. */
const base = (placement: Placement): ScenarioPatch => ({
  description: `Eight users in g1; u1 floods it with five sends a second from 5 s to 45 s. A token bucket of 20 per 60 s per user sits at the ${placement === 'service' ? 'dedicated rate-limit service' : placement}.`,
  durationMs: 60_000,
  settleMs: 10_000,
  rateLimit: { enabled: true, placement, keyBy: 'user', limiter: { algorithm: 'sliding-log', limit: 20, windowMs: 60_000 } },
  workload: { users: 8, channels: [{ id: CHANNEL, members: MEMBERS }], sendRatePerUserPerSec: 0.2, script: FLOOD },
});

/** The flood against the limiter at one placement, nothing failing. */
export const at = (placement: Placement): LabRun => ({ scenario: 'rate-limit-burst', patch: base(placement) });

export const AT_GATEWAY = at('gateway');
export const AT_SERVER = at('ws-server');
export const AT_CHAT = at('chat');
export const AT_SERVICE = at('service');

/**
 * A rolling restart, as a deploy does it: ws-1 goes down at 20 s and is back at 22 s, then ws-2
 * at 32 s and back at 34 s. Whichever server u1 started on, its connection moves at least once.
 */
export const rollingRestart = (placement: Placement): LabRun => ({
  scenario: 'rate-limit-burst',
  patch: {
    ...base(placement),
    faults: [
      { at: 20_000, op: { verb: 'crash', node: 'ws-1' } },
      { at: 22_000, op: { verb: 'restart', node: 'ws-1' } },
      { at: 32_000, op: { verb: 'crash', node: 'ws-2' } },
      { at: 34_000, op: { verb: 'restart', node: 'ws-2' } },
    ],
  },
});

/** The dedicated limiter is down from 20 s to 40 s; the servers fail open or closed. */
export const limiterFails = (failOpen: boolean): LabRun => {
  const patch = base('service');
  return {
    scenario: 'rate-limit-burst',
    patch: {
      ...patch,
      rateLimit: { ...(patch['rateLimit'] as object), failOpen },
      faults: [
        { at: 20_000, op: { verb: 'crash', node: 'limiter' } },
        { at: 40_000, op: { verb: 'restart', node: 'limiter' } },
      ],
    },
  };
};

/**
 * Keyed by client address, with four users behind one address (a home router, an office NAT):
 * u1..u4 share u1's budget.
 */
export const sharedAddress = (keyBy: 'user' | 'ip'): LabRun => {
  const patch = base('gateway');
  return { scenario: 'rate-limit-burst', patch: { ...patch, rateLimit: { ...(patch['rateLimit'] as object), keyBy, usersPerIp: 4 } } };
};
