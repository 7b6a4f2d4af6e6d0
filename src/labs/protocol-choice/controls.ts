/**
 * The protocol lab's control: the clients' transport, bound to the scenario's `transport` field.
 */
import type { Control } from '../framework/index.ts';

export const TRANSPORT: Control = {
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
  initial: 'long-polling',
};

export const CONTROLS: readonly Control[] = [TRANSPORT];
