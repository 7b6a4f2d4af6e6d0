/**
 * Story fixtures are real runs, not recorded blobs: a scenario and a seed, run by the same
 * workbench the app uses (on the main thread), then asked what the screen would ask. Each is
 * computed once per page and is the same on every machine.
 */
import type { Op } from '../src/sim/index.ts';
import type { ProgressStorage } from '../src/ui/lab/progress.ts';
import { createWorkbench, type Frame, type LabManifest, type Workbench } from '../src/workbench/index.ts';

export interface RunFixture {
  readonly wb: Workbench;
  readonly frame: Frame;
}

const cache = new Map<string, RunFixture>();

/**
 * A run of `scenario` (seed 42) to `atMs`, with operator verbs applied at their times.
 *
 * @example
 * const { wb, frame } = run('group-chat', 10_000, [[5_000, { verb: 'crash', node: 'ws-2' }]]);
 */
export function run(scenario: string, atMs: number, ops: readonly (readonly [number, Op])[] = []): RunFixture {
  const key = JSON.stringify([scenario, atMs, ops]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const wb = createWorkbench();
  wb.open(scenario, 42);
  for (const [at, op] of ops) {
    wb.advance(at - wb.current().summary.nowMs);
    wb.operate(op);
  }
  wb.advance(atMs - wb.current().summary.nowMs);
  const fixture = { wb, frame: wb.current({ graph: true }) };
  cache.set(key, fixture);
  return fixture;
}

/** group-chat at 10 s: everyone online, a few messages each. */
export const groupChat = (): RunFixture => run('group-chat', 10_000);

/** group-chat with ws-2 crashed at 5 s and ws-1 cut off from the broker at 6 s. */
export const groupChatWithFaults = (): RunFixture =>
  run('group-chat', 9_000, [
    [5_000, { verb: 'crash', node: 'ws-2' }],
    [6_000, { verb: 'partition', a: ['ws-1'], b: ['broker'] }],
  ]);

/** Reordering without sequence numbers, past its end: the ordering checker has findings. */
export const reordering = (): RunFixture => run('reordering-without-sequence', 40_000);

/** The lab's rate-limit example as a run, past its last request. */
export const rateLimitBurst = (): RunFixture => run('rate-limit-burst', 70_000);

/** Storage in memory, so a story starts from what it says and leaves the browser's alone. */
export function memoryStorage(initial: Record<string, string> = {}): ProgressStorage {
  const data = { ...initial };
  return { getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

/** The workbench the lab stories resolve their steps with. */
export const labWorkbench = createWorkbench();

/** A real lab, resolved by the same workbench the app runs (here on the main thread). */
export function labOf(id: string): LabManifest {
  const found = labWorkbench
    .labMap()
    .flatMap((g) => g.labs)
    .find((l) => l.lab.id === id);
  if (found?.status !== 'ready') throw new Error(`no lab ${id}`);
  return found.lab;
}
