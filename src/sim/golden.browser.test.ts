import { expect, test } from 'vitest';
import { createSimApi } from './api.ts';
import { Prng } from './core/prng.ts';
import { GOLDEN_GROUP_CHAT, GOLDEN_KERNEL_DEMO } from './golden.ts';

// Proves Node and Chromium agree to the bit: the PRNG's first outputs and the golden run's trace
// hash are the same numbers the Node unit tests pin (prng.test.ts, api.test.ts).
test('Chromium reproduces the Node-pinned PRNG stream and golden trace hash', () => {
  const rng = new Prng(42);
  expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
  const api = createSimApi();
  api.load({ scenario: GOLDEN_KERNEL_DEMO.scenario, seed: GOLDEN_KERNEL_DEMO.seed });
  const slice = api.runFor(GOLDEN_KERNEL_DEMO.untilMs);
  expect(slice.eventCount).toBe(GOLDEN_KERNEL_DEMO.eventCount);
  expect(slice.traceHash).toBe(GOLDEN_KERNEL_DEMO.traceHash);
});

// Proves the whole chat cluster (zod, every node, the brokers) replays identically in Chromium.
test('Chromium reproduces the Node-pinned group-chat trace hash', () => {
  const api = createSimApi();
  api.load({ scenario: GOLDEN_GROUP_CHAT.scenario, seed: GOLDEN_GROUP_CHAT.seed });
  const slice = api.runFor(GOLDEN_GROUP_CHAT.untilMs);
  expect(slice.eventCount).toBe(GOLDEN_GROUP_CHAT.eventCount);
  expect(slice.traceHash).toBe(GOLDEN_GROUP_CHAT.traceHash);
});
