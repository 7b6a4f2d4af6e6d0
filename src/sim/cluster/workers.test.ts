/**
 * The server's worker queues on a real cluster (design 002, ADR 0016): each model's signature,
 * measured by the run's report. The scenario is the group-chat preset on one WebSocket server with
 * `users` users in groups of 8 for 20 s, seed 1; every figure compared is a count or a sum of
 * whole µs, so the comparisons are exact for these seeds, and each is a trend the model implies,
 * with the seed's values in the comments (measured with the same runs).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { NodeFigures } from '../contract/index.ts';
import { overBudget } from '../scenario/budget.ts';
import { parseScenario } from '../scenario/schema.ts';
import { presetScenario, runPreset } from './testing.ts';
import { runScenario } from './run.ts';

type Workers = Record<string, unknown>;

function groupsOf(users: number) {
  return Array.from({ length: users / 8 }, (_, g) => ({ id: `g${g + 1}`, members: Array.from({ length: 8 }, (_, i) => `u${g * 8 + i + 1}`) }));
}

/** The figures of `ws-1` (the only server) and the run's report. */
function run(users: number, workers: Workers, extra: Record<string, unknown> = {}, seed = 1) {
  const patch = { topology: { wsServers: 1, maxWsServers: 1 }, durationMs: 20_000, workload: { users, channels: groupsOf(users) }, wsServer: { workers, ...extra } };
  const { report } = runPreset('group-chat', seed, patch);
  const ws = report.nodes['ws-1'] as NodeFigures;
  return { report, ws, w: ws.workers };
}

describe('each worker model shows its cost', () => {
  test('process-per-client: the switch overhead grows with the connections', () => {
    // 2 cores, 5 µs a switch. More clients means more traffic, and also a smaller chance that a
    // core's next input is from the process it ran last: seed 1 measured 3.64 / 6.10 / 11.58 /
    // 23.17 ms of switching, 0.79 / 0.84 / 0.87 / 0.89 switches per input, for 8 / 16 / 32 / 64.
    const figures = [8, 16, 32, 64].map((users) => run(users, { model: 'process-per-client', workers: 2 }));
    const switchMs = figures.map((f) => f.w?.switchMs ?? 0);
    const perInput = figures.map((f) => (f.w?.switches ?? 0) / f.ws.processed);
    for (let i = 1; i < figures.length; i++) {
      expect(switchMs[i], `switch ms ${switchMs.join(', ')}`).toBeGreaterThan((switchMs[i - 1] as number) * 1.5);
      expect(perInput[i], `switches per input ${perInput.join(', ')}`).toBeGreaterThan(perInput[i - 1] as number);
    }
    for (const f of figures) expect(f.report.violations).toEqual([]);
  });

  test("shared-queue: the queue's contention grows with the workers; more queues ease it", () => {
    // 32 users, 1 µs per other worker waiting on the queue at each take. Seed 1 measured 0 /
    // 2.35 / 7.65 / 18.31 / 39.64 ms for 1 / 2 / 4 / 8 / 16 workers, and with 8 workers in 1 / 2
    // / 4 / 8 queues 18.31 / 7.84 / 2.59 / 0 ms (one worker per queue: nobody to contend with).
    const byWorkers = [1, 2, 4, 8, 16].map((workers) => run(32, { model: 'shared-queue', workers }).w?.contentionMs ?? -1);
    expect(byWorkers[0]).toBe(0);
    for (let i = 1; i < byWorkers.length; i++) expect(byWorkers[i], byWorkers.join(', ')).toBeGreaterThan(byWorkers[i - 1] as number);
    const byQueues = [1, 2, 4, 8].map((queues) => run(32, { model: 'queue-per-group', workers: 8, queues }).w?.contentionMs ?? -1);
    expect(byQueues[0]).toBe(byWorkers[3]);
    for (let i = 1; i < byQueues.length; i++) expect(byQueues[i], byQueues.join(', ')).toBeLessThan(byQueues[i - 1] as number);
    expect(byQueues[3]).toBe(0);
  });

  describe('starvation: big requests hold every worker', () => {
    // Every 5th send on the server takes 500 ms (wsServer.blockingHandler), 32 users. The figure
    // is the longest a client with work waited for a worker (its wait behind its own earlier
    // inputs left out). Seed 1 measured: one event loop, send → shown p50 1934 ms; shared queue
    // with 2 workers 354 ms, with 4 0.37 ms, with 8 0; 4 workers in 4 queues 1000 ms; process
    // per client on 2 cores 3.7 ms (a 3 ms quantum), with 3163 switches against 2233.
    const blocking = { blockingHandler: { server: 'ws-1', everyNth: 5, durationMs: 500 } };

    test('one event loop: every client waits behind each big request', () => {
      const { report } = run(32, { model: 'single' }, blocking);
      expect(report.latencyMs?.p50).toBeGreaterThan(1000);
    });

    test('a shared queue: with few workers all are busy and clients starve; more workers end it', () => {
      const two = run(32, { model: 'shared-queue', workers: 2 }, blocking);
      const eight = run(32, { model: 'shared-queue', workers: 8 }, blocking);
      expect(two.w?.workerWaitMsMax).toBeGreaterThan(100);
      expect(two.w?.workerWaitMsP99).toBeGreaterThan(100);
      expect(eight.w?.workerWaitMsMax).toBeLessThan(1);
      // The big requests still take what they take for their own client.
      expect(eight.report.latencyMs?.p90).toBeGreaterThan(500);
    });

    test('more queues do not end starvation: a client waits for its own group while others idle', () => {
      const shared = run(32, { model: 'shared-queue', workers: 4 }, blocking);
      const grouped = run(32, { model: 'queue-per-group', workers: 4, queues: 4 }, blocking);
      expect(shared.w?.workerWaitMsMax).toBeLessThan(1);
      expect(grouped.w?.workerWaitMsMax).toBeGreaterThan(100);
    });

    test('process-per-client: preemption bounds the wait, at the price of more switches', () => {
      const ppc = run(32, { model: 'process-per-client', workers: 2 }, blocking);
      const shared = run(32, { model: 'shared-queue', workers: 2 }, blocking);
      // A ready process waits for at most a few 3 ms quanta of the two big ones on the cores.
      expect(ppc.w?.workerWaitMsMax).toBeLessThan(10);
      expect(ppc.w?.preemptions).toBeGreaterThan(0);
      expect(ppc.w?.switches).toBeGreaterThan(shared.w?.switches ?? Infinity);
    });
  });
});

describe('determinism and bounds', () => {
  for (const model of ['single', 'process-per-client', 'shared-queue', 'queue-per-group'] as const) {
    test(`${model}: the same seed gives the same trace hash`, () => {
      const workers = { model, workers: 4, queues: model === 'queue-per-group' ? 2 : 1 };
      const a = run(16, workers, {}, 7);
      const b = run(16, workers, {}, 7);
      expect(a.report.traceHash).toBe(b.report.traceHash);
      expect(a.report.nodes).toEqual(b.report.nodes);
    });
  }

  test('the single model is the default and leaves the report as it was', () => {
    // No `workers` figures for a single event loop (so reports and traces stay byte-identical).
    const { ws } = run(8, {});
    expect(ws.workers).toBeUndefined();
    expect(presetScenario('group-chat').wsServer.workers.model).toBe('single');
  });

  test('any valid worker configuration builds and runs a short scenario', () => {
    const config = fc
      .record({
        model: fc.constantFrom('single', 'process-per-client', 'shared-queue', 'queue-per-group'),
        workers: fc.integer({ min: 1, max: 1024 }),
        queuesDraw: fc.integer({ min: 1, max: 1024 }),
        switchUs: fc.integer({ min: 0, max: 1_000_000 }),
        contentionUs: fc.integer({ min: 0, max: 1_000_000 }),
        quantumUs: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .map(({ queuesDraw, ...w }) => ({ ...w, queues: w.model === 'queue-per-group' ? 1 + (queuesDraw % w.workers) : 1 }));
    fc.assert(
      fc.property(config, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (workers, seed) => {
        const scenario = presetScenario('group-chat', { durationMs: 3000, settleMs: 1000, wsServer: { workers } });
        const { report } = runScenario(scenario, { seed });
        for (const [id, n] of Object.entries(report.nodes)) {
          if (!id.startsWith('ws-')) continue;
          expect(n.workers === undefined).toBe(workers.model === 'single');
          expect(n.utilization).toBeLessThanOrEqual(1);
          expect(n.workers?.workerWaitMsP99 ?? 0).toBeLessThanOrEqual(n.workers?.workerWaitMsMax ?? 0);
        }
      }),
      { numRuns: 25, seed: 16 },
    );
  });

  test('the work budget counts process-per-client time slices', () => {
    // 3 servers × 1,001 busy cores (at most one per key: 1,000 users and the server's own) × 75 s
    // / a 100 µs quantum = 2.25e9 slices at worst, a quarter event each: 5.6e8, far above 60 M
    // events, refused with the term named. The default
    // quantum (3 ms) on 4 cores adds 75,000 and runs.
    const heavy = presetScenario('group-chat', { workload: { users: 1000, channels: null }, wsServer: { workers: { model: 'process-per-client', workers: 1024, quantumUs: 100 } } });
    expect(overBudget(heavy)).toMatch(/biggest term: time slices, about .*3,003 cores × 75 s \/ a 100 µs quantum, at worst/);
    expect(overBudget(presetScenario('group-chat', { wsServer: { workers: { model: 'process-per-client' } } }))).toBeNull();
  });

  test('the schema refuses a worker configuration it cannot run, one line naming the field and the range', () => {
    const errors = (workers: Workers): string[] => {
      const parsed = parseScenario({ durationMs: 1000, wsServer: { workers } });
      return parsed.ok ? [] : parsed.errors;
    };
    expect(errors({ model: 'queue-per-group', workers: 4, queues: 2 })).toEqual([]);
    expect(errors({ model: 'queue-per-group', workers: 2, queues: 3 })).toEqual([
      'scenario.wsServer.workers.queues: 3 is more than workers (2); each queue needs a worker (allowed: 1 ≤ queues ≤ workers)',
    ]);
    expect(errors({ model: 'shared-queue', queues: 2 })).toEqual([
      'scenario.wsServer.workers.queues: 2 queues need model "queue-per-group", the model is "shared-queue" (allowed: 1, or model "queue-per-group")',
    ]);
    for (const [workers, field] of [
      [{ workers: 0 }, 'workers'],
      [{ workers: 1025 }, 'workers'],
      [{ switchUs: 1_000_001 }, 'switchUs'],
      [{ contentionUs: -1 }, 'contentionUs'],
      [{ quantumUs: 0.5 }, 'quantumUs'],
      [{ model: 'threads' }, 'model'],
    ] as const) {
      const e = errors(workers);
      expect(e, JSON.stringify(workers)).toHaveLength(1);
      expect(e[0]).toMatch(new RegExp(`^scenario\\.wsServer\\.workers\\.${field}: .*\\(allowed: `));
    }
  });
});
