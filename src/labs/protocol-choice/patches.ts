/**
 * The protocol lab's runs: the group-chat preset, the same workload and seed, over each transport.
 * A send rate of one a second per user gives every transport enough traffic to show its overhead.
 */
import type { LabRun } from '../framework/index.ts';

const WORKLOAD = { workload: { sendRatePerUserPerSec: 1 } };

/** The workload over one transport. */
export const over = (transport: 'websocket' | 'sse' | 'long-polling' | 'tcp'): LabRun => ({ scenario: 'group-chat', patch: { ...WORKLOAD, transport } });

export const WEBSOCKET = over('websocket');
export const SSE = over('sse');
export const LONG_POLLING = over('long-polling');
export const RAW_TCP = over('tcp');

/** Two users on different servers and one private message (the private-chat preset): each transport's connect drawn whole. */
export const PAIR_OVER_WEBSOCKET: LabRun = { scenario: 'private-chat', patch: { transport: 'websocket' } };
