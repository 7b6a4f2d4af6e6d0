/**
 * The sliding-window lab's controls: the student's own requests on a timeline (written into the
 * run's script as sends by u1, two seconds after the start so the client has connected, exactly
 * as the preset does), and the algorithm of the gateway's limiter.
 */
import { algorithmControl, type Control } from '../framework/index.ts';

export const REQUESTS: Control = {
  kind: 'requestTimes',
  id: 'requests',
  label: 'Your requests (seconds on the timeline)',
  user: 'u1',
  channel: 'dm:u1:u2',
  offsetMs: 2_000,
  maxSeconds: 66,
  maxCount: 12,
  initial: [0, 8, 12, 30, 41, 50, 58, 61, 66],
};

export const ALGORITHM: Control = algorithmControl('The gateway\u2019s algorithm', { 'sliding-log': 'Sliding log (exact)' });

export const CONTROLS: readonly Control[] = [REQUESTS, ALGORITHM];
