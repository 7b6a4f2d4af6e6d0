/**
 * The protocol lab's control: the clients' transport, bound to the scenario's `transport` field.
 */
import type { Control } from '../framework/index.ts';

/** The transport control, starting from `initial`. */
const transport = (initial: 'long-polling' | 'websocket'): Control => ({
  kind: 'choice',
  id: 'transport',
  label: 'Transport',
  path: 'transport',
  options: [
    { value: 'long-polling', label: 'Long polling' },
    { value: 'sse', label: 'Server-Sent Events (+ POST to send)' },
    { value: 'websocket', label: 'WebSocket' },
    { value: 'tcp', label: 'JSON over raw TCP (native apps only)' },
  ],
  initial,
});

export const TRANSPORT = transport('long-polling');
/** The same control starting from WebSocket (the lifecycle step opens on the most common choice). */
export const TRANSPORT_FROM_WEBSOCKET = transport('websocket');

export const CONTROLS: readonly Control[] = [TRANSPORT, TRANSPORT_FROM_WEBSOCKET];
