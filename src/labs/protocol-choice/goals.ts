/**
 * What the protocol lab asks of a run, as data.
 */
import type { Goal } from '../framework/index.ts';

/** A message costs no HTTP request of its own (the connection carries both directions). */
export const NO_REQUEST_PER_MESSAGE: Goal = { kind: 'metric', metric: 'transport.chatHttpRequestsPerSentMessage', op: '==', value: 0 };
/** Long polling answered held polls (the lifecycle the step shows). */
export const POLLS_ANSWERED: Goal = { kind: 'event', type: 'ws/pollAnswered', atLeast: 10 };
/** Everything sent was shown: the comparison is between working designs. */
export const NOTHING_LOST: Goal = { kind: 'metric', metric: 'counts.lost', op: '==', value: 0 };
