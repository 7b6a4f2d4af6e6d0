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

/** A worker made from source text, to fail on purpose. */
const workerFrom = (source: string): Worker => new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));

// Proves determinism across the worker boundary: the same scenario and seed give the same trace
// hash and event count through the real Worker and Comlink as through a direct call.
test('kernel-demo seed 42 gives the same trace through the Worker and on the main thread', async () => {
  const worker = track(createWorkerClient());
  const direct = track(createMainThreadClient());
  const [inWorker, onMain] = await Promise.all([worker.open('kernel-demo', 42), direct.open('kernel-demo', 42)]);
  expect(inWorker.frame.summary.seed).toBe(42);
  expect(onMain.frame.summary.traceHash).toBe(inWorker.frame.summary.traceHash);
  const [a, b] = await Promise.all([worker.advance(2000), direct.advance(2000)]);
  expect(a.summary.eventCount).toBeGreaterThan(0);
  expect(a.summary.nowMs).toBe(b.summary.nowMs);
  expect(a.summary.eventCount).toBe(b.summary.eventCount);
  expect(a.summary.traceHash).toBe(b.summary.traceHash);
});

// Proves the client runs calls one at a time in call order, even when they are fired together.
test('calls fired together resolve in call order', async () => {
  const client = track(createWorkerClient());
  await client.open('kernel-demo', 42);
  const frames = await Promise.all([client.advance(100), client.advance(100), client.advance(100)]);
  const times = frames.map((f) => f.summary.nowMs);
  expect(times).toEqual([...times].sort((x, y) => x - y));
});

// Proves a worker whose script fails rejects the calls waiting on it, and every later call, with
// an error that says the worker failed, and tells its listeners once.
test('a worker that fails to start rejects pending and later calls with a visible error', async () => {
  const client = track(createWorkerClient(workerFrom('throw new Error("the script is broken");')));
  const heard: string[] = [];
  client.onFailure((e) => heard.push(e.message));
  await expect(client.catalog()).rejects.toThrow(/The simulation worker failed/);
  await expect(client.open('group-chat', 1)).rejects.toThrow(/The simulation worker failed/);
  expect(heard).toHaveLength(1);
  expect(client.failure?.message).toMatch(/The simulation worker failed/);
});

// Proves a worker that dies in the middle of a call rejects that call instead of leaving it
// pending forever.
test('a worker that crashes during a call rejects it', async () => {
  const client = track(createWorkerClient(workerFrom('self.onmessage = () => setTimeout(() => { throw new Error("out of memory"); });')));
  await expect(client.catalog()).rejects.toThrow(/The simulation worker failed: .*out of memory/);
});

// Proves the default picks the Worker in a browser, which is what the app relies on.
test('createSimClient picks the Worker in a browser', () => {
  expect(track(createSimClient()).runtime).toBe('worker');
});
