/**
 * The ordering-and-delivery lab's control: the delivery guarantee of the crash run, bound to the
 * scenario's `delivery` field (at-least-once switches on acks, retries with idempotency keys,
 * dedup on the client and history catch-up after a reconnect).
 */
import type { Control } from '../framework/index.ts';

export const DELIVERY: Control = {
  kind: 'choice',
  id: 'delivery',
  label: 'Delivery guarantee',
  path: 'delivery',
  options: [
    { value: 'at-most-once', label: 'At most once (fire and forget)' },
    { value: 'at-least-once', label: 'At least once, with dedup' },
  ],
  initial: 'at-most-once',
};

export const CONTROLS: readonly Control[] = [DELIVERY];
