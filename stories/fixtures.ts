import type { RunSlice } from '../src/sim/api.ts';

/** A hand-written slice for presentational stories; shaped like the kernel's, not produced by it. */
export function sampleSlice(overrides: Partial<RunSlice> = {}): RunSlice {
  return {
    seed: 42,
    scenario: 'kernel-demo',
    nowMs: 12_300,
    eventCount: 1_234,
    traceHash: '9f3a5c01d2e4b6a7',
    truncated: false,
    pending: 7,
    events: [
      { seq: 1230, at: 12_180, node: 'ws-1', causeSeq: 1228, type: 'ws/messageReceived', data: {} },
      { seq: 1231, at: 12_195, node: 'broker', causeSeq: 1230, type: 'broker/published', data: {} },
      { seq: 1232, at: 12_240, node: 'ws-2', causeSeq: 1231, type: 'ws/messageDelivered', data: {} },
      { seq: 1233, at: 12_300, node: 'net', causeSeq: 1231, type: 'net/packetDropped', data: {} },
    ],
    eventsCapped: false,
    ...overrides,
  };
}
