/**
 * What the placement lab asks of a run, as data.
 */
import type { Goal } from '../framework/index.ts';
import { ABUSER } from './patches.ts';

/** The limiter refused some of the flood. */
export const FLOOD_REFUSED: Goal = { kind: 'metric', metric: 'counts.rateLimited', op: '>', value: 0 };

/** Nothing that was stored went missing: the comparison is between working designs. */
export const NOTHING_LOST: Goal = { kind: 'metric', metric: 'counts.lost', op: '==', value: 0 };

/** The limiter judged requests one by one (the diagram has decisions to follow). */
export const DECISIONS: Goal = { kind: 'event', type: 'limiter/rejected', atLeast: 1 };

/** u1 moved to another server: a second routing of its connection. */
export const ABUSER_MOVED: Goal = { kind: 'figure', figure: { kind: 'eventCount', type: 'gw/connectionRouted', match: { user: ABUSER }, label: 'times u1 was routed to a server' }, op: '>=', value: 2 };

/** The servers failed closed: sends met a missing verdict and were refused. */
export const FAILED_CLOSED: Goal = { kind: 'figure', figure: { kind: 'eventCount', type: 'ws/limiterUnavailable', match: { failOpen: false }, label: 'sends refused without a verdict' }, op: '>', value: 0 };

/** No normal user was refused for someone else's flood. */
export const NO_BYSTANDER_REFUSED: Goal = {
  kind: 'figure',
  figure: { kind: 'eventCount', type: 'client/sendFailed', match: { code: 'RATE_LIMITED' }, exclude: { user: ABUSER }, label: 'normal users\u2019 sends refused' },
  op: '==',
  value: 0,
};

/** At most 40 of u1's sends reach the back end (twice the lab's limit: the flood is held back). */
export const FLOOD_HELD: Goal = { kind: 'figure', figure: { kind: 'eventCount', type: 'client/sendAcked', match: { user: ABUSER }, label: 'u1\u2019s sends let through' }, op: '<=', value: 40 };
