import { describe, expect, test } from 'vitest';
import { planSweep, runSweep, type Scenario, type SweepMeasurement, type SweepPlan, type SweepSpec } from '../../sim/index.ts';
import { createMainThreadRunner, createSweepPool, spareCores, type JobRunner, type SweepRun } from './sweepPool.ts';

const SHORT = { durationMs: 3_000, settleMs: 2_000 };

function plan(spec: SweepSpec): SweepPlan {
  const planned = planSweep(spec);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  return planned.plan;
}

const threeServers = (seeds: number[]): SweepPlan => plan({ scenario: 'group-chat', patch: SHORT, axes: [{ path: 'topology.wsServers', values: [1, 2, 3] }], seeds });

/** A runner whose runs finish when the test says so, recording what it was asked. */
function gatedRunners() {
  const calls: { hash: string; seed: number; finish: (m: SweepMeasurement) => void; fail: (e: Error) => void }[] = [];
  /** One per runner asked whether it has loaded: resolve it to say it has. */
  const loads: (() => void)[] = [];
  let terminated = 0;
  let made = 0;
  const create = (): JobRunner => {
    made++;
    return {
      ready: () => new Promise<void>((resolve) => loads.push(resolve)),
      measure: (scenario: Scenario, seed: number) =>
        new Promise<SweepMeasurement>((resolve, reject) => {
          calls.push({ hash: `${scenario.topology.wsServers}`, seed, finish: resolve, fail: reject });
        }),
      terminate: () => {
        terminated++;
      },
    };
  };
  return { create, calls, loads, terminatedCount: () => terminated, madeCount: () => made };
}

const fake = (traceHash: string): SweepMeasurement => ({ traceHash, figures: { x: 1 } });

/** Resolves at the run's next change: waits on state, not on time. */
const nextChange = (run: SweepRun): Promise<void> =>
  new Promise((resolve) => {
    const off = run.subscribe(() => {
      off();
      resolve();
    });
  });

describe('the browser sweep pool', () => {
  test('one worker per spare core, at least one', () => {
    // hardwareConcurrency 8 leaves 7 for sweeps; one or none still gets one.
    expect([spareCores(8), spareCores(2), spareCores(1), spareCores(0)]).toEqual([7, 1, 1, 1]);
  });

  test('results equal the serial sweep, whatever the pool size', async () => {
    // Real runs on main-thread runners, two and three at a time: the same results as runSweep.
    const p = threeServers([1, 2]);
    const serial = runSweep(p);
    for (const size of [2, 3]) {
      const pool = createSweepPool({ size, createRunner: createMainThreadRunner });
      const run = pool.run(p);
      expect(await run.finished).toMatchObject({ status: 'done', done: 6, total: 6, cached: 0 });
      expect(run.results()).toEqual(serial);
      pool.dispose();
    }
  });

  test('the cache answers a sweep it has seen, and runs only the missing points of a wider one', async () => {
    // Moving the slider back is instant: the second sweep is done on arrival; the third runs one new point.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 2, createRunner: gate.create });
    const first = pool.run(threeServers([1]));
    for (const c of gate.calls.splice(0)) c.finish(fake(`t${c.hash}`));
    await nextChange(first);
    while (gate.calls.length > 0) for (const c of gate.calls.splice(0)) c.finish(fake(`t${c.hash}`));
    expect(await first.finished).toMatchObject({ status: 'done', done: 3 });
    expect(pool.run(threeServers([1])).progress()).toMatchObject({ status: 'done', done: 3, cached: 3 });
    const wider = pool.run(plan({ scenario: 'group-chat', patch: SHORT, axes: [{ path: 'topology.wsServers', values: [1, 2, 3, 4] }], seeds: [1] }));
    expect(wider.progress()).toMatchObject({ status: 'running', done: 3, cached: 3, total: 4 });
    expect(gate.calls.map((c) => c.hash)).toEqual(['4']);
    gate.calls[0]?.finish(fake('t4'));
    expect(await wider.finished).toMatchObject({ status: 'done', done: 4 });
    expect(wider.results().map((r) => r.traceHash)).toEqual(['t1', 't2', 't3', 't4']);
    expect(pool.cached(wider.plan.points[3]?.scenarioHash ?? '', 1)).toEqual(fake('t4'));
  });

  test('two sweeps waiting for the same run share it', async () => {
    // The same plan twice at once: one measurement per (scenario, seed), both sweeps finish.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 1, createRunner: gate.create });
    const a = pool.run(threeServers([1]));
    const b = pool.run(threeServers([1]));
    const seen: string[] = [];
    while (gate.calls.length > 0) {
      const c = gate.calls.shift();
      if (c === undefined) break;
      seen.push(c.hash);
      c.finish(fake(c.hash));
      await nextChange(a);
    }
    expect(seen).toEqual(['1', '2', '3']);
    expect((await a.finished).status).toBe('done');
    expect((await b.finished).status).toBe('done');
    expect(b.results()).toEqual(a.results());
  });

  test('cancel drops queued runs and stops the busy worker; results so far stay', async () => {
    // One worker, three points: after the first result, cancel while the second is in flight.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 1, createRunner: gate.create });
    const run = pool.run(threeServers([1]));
    gate.calls.shift()?.finish(fake('t1'));
    await nextChange(run);
    expect(gate.calls.map((c) => c.hash)).toEqual(['2']);
    run.cancel();
    expect(await run.finished).toMatchObject({ status: 'cancelled', done: 1, total: 3 });
    expect(gate.terminatedCount()).toBe(1);
    // The stopped run finishing late changes nothing, and nothing else was started.
    gate.calls.shift()?.finish(fake('late'));
    expect(run.results().map((r) => r.traceHash)).toEqual(['t1']);
    expect(gate.calls).toEqual([]);
    // Running the rest later starts a fresh worker and runs only the missing points.
    const again = pool.run(threeServers([1]));
    expect(again.progress()).toMatchObject({ done: 1, cached: 1 });
    expect(gate.madeCount()).toBe(2);
    expect(gate.calls.map((c) => c.hash)).toEqual(['2']);
    pool.dispose();
    expect((await again.finished).status).toBe('cancelled');
  });

  test('prioritize runs the point the slider is on next', async () => {
    // One worker busy with point 0; the slider jumps to point 2, which runs before point 1.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 1, createRunner: gate.create });
    const run = pool.run(threeServers([1]));
    run.prioritize(2);
    gate.calls.shift()?.finish(fake('t1'));
    await nextChange(run);
    expect(gate.calls.map((c) => c.hash)).toEqual(['3']);
    pool.dispose();
  });

  test('a run that throws fails the sweep with the reason, and the worker is replaced', async () => {
    // The error is the sweep's status, not an exception lost in a worker.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 1, createRunner: gate.create });
    const run = pool.run(threeServers([1]));
    gate.calls.shift()?.fail(new Error('boom'));
    const end = await run.finished;
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/failed: boom$/);
    expect(gate.terminatedCount()).toBe(1);
    pool.dispose();
  });

  test('warm() starts every worker and runs nothing until a sweep asks', async () => {
    // Two slots: two runners made and asked to load, no measurement; warm settles once both have loaded.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 2, createRunner: gate.create });
    let settled = false;
    const warming = pool.warm().then(() => (settled = true));
    expect(gate.madeCount()).toBe(2);
    expect(gate.loads).toHaveLength(2);
    expect(gate.calls).toEqual([]);
    gate.loads[0]?.();
    await Promise.resolve();
    expect(settled).toBe(false);
    gate.loads[1]?.();
    await warming;
    // The sweep then uses the warmed runners rather than making new ones.
    const run = pool.run(threeServers([1]));
    expect(gate.madeCount()).toBe(2);
    expect(gate.calls.map((c) => c.hash)).toEqual(['1', '2']);
    pool.dispose();
    await run.finished;
  });

  test('warm(jobs) runs at most one job per worker into the cache, and a sweep joins or reuses it', async () => {
    // One worker, the slider's first point on two seeds: only seed 1 runs; the sweep that follows
    // while it runs waits for that same run (no second measurement), and finds it cached after.
    const gate = gatedRunners();
    const pool = createSweepPool({ size: 1, createRunner: gate.create });
    const p = threeServers([1, 2]);
    const firstPoint = p.jobs.filter((j) => j.point === 0);
    const warming = pool.warm(firstPoint);
    gate.loads[0]?.();
    expect(gate.calls.map((c) => `${c.hash}/${c.seed}`)).toEqual(['1/1']);
    const run = pool.run(p);
    expect(run.progress()).toMatchObject({ done: 0, cached: 0 });
    gate.calls.shift()?.finish(fake('w'));
    // The run was delivered to the sweep before warm() settled.
    await warming;
    expect(run.results().map((r) => `${r.point}/${r.seed}=${r.traceHash}`)).toEqual(['0/1=w']);
    expect(pool.cached(firstPoint[0]?.scenarioHash ?? '', 1)).toEqual(fake('w'));
    expect(gate.calls.map((c) => `${c.hash}/${c.seed}`)).toEqual(['1/2']);
    expect(pool.run(threeServers([1])).progress()).toMatchObject({ cached: 1 });
    pool.dispose();
  });
});
