import { afterEach, expect, test } from 'vitest';
import { createMainThreadClient, createSimClient, createWorkerClient, type SimClient } from './simClient.ts';

const clients: SimClient[] = [];
const track = (client: SimClient): SimClient => {
  clients.push(client);
  return client;
};
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

// Proves determinism across the worker boundary: the same scenario and seed give the same trace
// hash and event count through the real Worker and Comlink as through a direct call.
test('kernel-demo seed 42 gives the same trace through the Worker and on the main thread', async () => {
  const worker = track(createWorkerClient());
  const direct = track(createMainThreadClient());
  const options = { scenario: 'kernel-demo', seed: 42 };
  const [loadedInWorker, loadedDirect] = await Promise.all([worker.load(options), direct.load(options)]);
  expect(loadedInWorker.seed).toBe(42);
  expect(loadedDirect.traceHash).toBe(loadedInWorker.traceHash);

  const [inWorker, onMain] = await Promise.all([worker.runFor(2000), direct.runFor(2000)]);
  expect(inWorker.eventCount).toBeGreaterThan(0);
  expect(inWorker.nowMs).toBe(onMain.nowMs);
  expect(inWorker.eventCount).toBe(onMain.eventCount);
  expect(inWorker.traceHash).toBe(onMain.traceHash);
});

// Proves the client runs calls one at a time in call order, even when they are fired together.
test('calls fired together resolve in call order', async () => {
  const client = track(createWorkerClient());
  await client.load({ scenario: 'kernel-demo', seed: 42 });
  const slices = await Promise.all([client.runFor(100), client.runFor(100), client.runFor(100)]);
  const times = slices.map((slice) => slice.nowMs);
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

// Proves the default picks the Worker in a browser, which is what the app relies on.
test('createSimClient picks the Worker in a browser', () => {
  expect(track(createSimClient()).runtime).toBe('worker');
});
