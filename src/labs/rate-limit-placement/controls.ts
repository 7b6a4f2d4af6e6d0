/**
 * The placement lab's controls: where the limiter sits, what the dedicated service does without a
 * verdict, what the limit is keyed by, the limit itself, and the algorithm whose state the
 * rate-limit diagram follows.
 */
import { algorithmControl, type Control } from '../framework/index.ts';

export const PLACEMENT: Control = {
  kind: 'choice',
  id: 'placement',
  label: 'Where the limiter sits',
  path: 'rateLimit.placement',
  options: [
    { value: 'gateway', label: 'API gateway' },
    { value: 'ws-server', label: 'Each WebSocket server' },
    { value: 'chat', label: 'Chat service' },
    { value: 'service', label: 'Dedicated rate-limit service' },
  ],
  initial: 'gateway',
};

export const FAIL_OPEN: Control = {
  kind: 'choice',
  id: 'failOpen',
  label: 'Without a verdict, the servers',
  path: 'rateLimit.failOpen',
  options: [
    { value: true, label: 'fail open (let the send through)' },
    { value: false, label: 'fail closed (refuse the send)' },
  ],
  initial: true,
};

export const KEY_BY: Control = {
  kind: 'choice',
  id: 'keyBy',
  label: 'Count requests per',
  path: 'rateLimit.keyBy',
  options: [
    { value: 'ip', label: 'client address (four users share one)' },
    { value: 'user', label: 'signed-in user' },
  ],
  initial: 'ip',
};

export const LIMIT: Control = {
  kind: 'number',
  id: 'limit',
  label: 'Limit',
  path: 'rateLimit.limiter.limit',
  min: 1,
  max: 200,
  step: 1,
  initial: 5,
  unit: 'sends per 60 s per user',
};

export const ALGORITHM: Control = algorithmControl('The limiter\u2019s algorithm');

export const CONTROLS: readonly Control[] = [PLACEMENT, FAIL_OPEN, KEY_BY, LIMIT, ALGORITHM];
