import { describe, expect, test } from 'vitest';
import {
  SWEEP_FIGURES,
  buildRun,
  figureDoc,
  figureNames,
  orderResults,
  parseScenario,
  planSweep,
  presetById,
  runScenario,
  runSweep,
  runSweepJob,
  scenarioHash,
  spreadByPoint,
  sweepCsv,
  type SweepPlan,
  type SweepSpec,
} from '../index.ts';
import { violationsByChecker } from '../kernel.ts';

/** Short runs: 4 s of sends and 3 s to settle keep each run of group-chat near 50 ms. */
const SHORT = { durationMs: 4_000, settleMs: 3_000 };

function plan(spec: SweepSpec): SweepPlan {
  const planned = planSweep(spec);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  return planned.plan;
}

function errorsOf(spec: SweepSpec): readonly string[] {
  const planned = planSweep(spec);
  if (planned.ok) throw new Error('expected the spec to be refused');
  return planned.errors;
}

describe('planSweep refuses bad specs before any run, one line each naming the axis and value', () => {
  test('an unknown path names the axis, the level and the fields it has', () => {
    // A misspelt field is caught by walking the schema's shape, not by running anything.
    const errors = errorsOf({ scenario: 'group-chat', axes: [{ path: 'chat.orderng', values: ['none'] }], seeds: [1] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^axis chat\.orderng: unknown path: chat has no field 'orderng' \(its fields: .*ordering.*\)$/);
    expect(errorsOf({ scenario: 'group-chat', axes: [{ path: 'nothing', values: [1] }], seeds: [1] })[0]).toMatch(/the scenario has no field 'nothing'/);
  });

  test('a path into a list or below a value is refused with what to do instead', () => {
    // workload.channels is a list: a sweep varies it whole; durationMs is a number with no fields.
    expect(errorsOf({ scenario: 'group-chat', axes: [{ path: 'workload.channels.id', values: ['x'] }], seeds: [1] })[0]).toMatch(
      /^axis workload\.channels\.id: unknown path: workload\.channels is a list/,
    );
    expect(errorsOf({ scenario: 'group-chat', axes: [{ path: 'durationMs.x', values: [1] }], seeds: [1] })[0]).toMatch(/durationMs is a value/);
    expect(errorsOf({ scenario: 'group-chat', axes: [{ path: 'chat..ordering', values: [1] }], seeds: [1] })[0]).toMatch(/^axis 1: "chat\.\.ordering" is not a dotted field path/);
  });

  test('a value the schema refuses names the axis, the value and the schema line', () => {
    // 'sideways' is not an ordering; -1 is not a server count; the good values pass silently.
    const errors = errorsOf({
      scenario: 'group-chat',
      axes: [
        { path: 'chat.ordering', values: ['none', 'sideways'] },
        { path: 'topology.wsServers', values: [2, -1] },
      ],
      seeds: [1],
    });
    expect(errors).toEqual([
      expect.stringMatching(/^axis chat\.ordering, value "sideways": scenario\.chat\.ordering: "sideways" is not allowed \(allowed: .*"per-channel".*\)$/),
      expect.stringMatching(/^axis topology\.wsServers, value -1: scenario\.topology\.wsServers: -1 is too small/),
    ]);
  });

  test('a combination the schema refuses names the point', () => {
    // 5 servers alone is fine (the pool grows to 5), a pool of 4 alone is fine (3 servers), both together are not.
    const errors = errorsOf({
      scenario: 'group-chat',
      axes: [
        { path: 'topology.wsServers', values: [2, 5] },
        { path: 'topology.maxWsServers', values: [4] },
      ],
      seeds: [1],
    });
    expect(errors).toEqual([expect.stringMatching(/^point topology\.wsServers=5, topology\.maxWsServers=4: scenario\.topology\.maxWsServers: 4 is fewer than wsServers \(5\)/)]);
  });

  test('a point over the work budget is refused naming the point and the biggest term', () => {
    // Thirty years of virtual time would be billions of events (ADR 0012's estimate).
    const errors = errorsOf({ scenario: 'group-chat', axes: [{ path: 'durationMs', values: [10_000, 1e12] }], seeds: [1] });
    expect(errors).toEqual([expect.stringMatching(/^point durationMs=1000000000000: this run would do about .* events of work, above the budget .*biggest term/)]);
  });

  test('seeds, axes, presets, patches and values are each checked, every problem reported', () => {
    // Several problems in one spec come back together, so a caller fixes them in one go.
    const errors = errorsOf({
      scenario: 'group-chatt',
      patch: [1],
      axes: [
        { path: 'chat.ordering', values: ['none', 'none', null] },
        { path: 'chat.ordering', values: ['none'] },
        { path: 'chat.dbTimeoutMs', values: [] },
      ],
      seeds: [1, 1, -3, 2.5],
    });
    expect(errors).toEqual([
      expect.stringMatching(/^scenario: unknown preset "group-chatt"; the presets are: .*group-chat/),
      'axes: a sweep varies one or two fields, got 3',
      'axis chat.ordering, value "none": given twice',
      'axis chat.ordering: null cannot be a value (to sweep over the default, write the default out)',
      'axis chat.ordering: the same field is varied twice',
      'axis chat.dbTimeoutMs: needs at least one value',
      'seeds: 1 is given twice',
      'seeds: -3 is not a seed (allowed: an integer from 0 to 4294967295)',
      'seeds: 2.5 is not a seed (allowed: an integer from 0 to 4294967295)',
    ]);
    expect(errorsOf({ scenario: 'group-chat', patch: { durationMs: 0 }, axes: [{ path: 'chat.ordering', values: ['none'] }], seeds: [] })).toEqual([
      expect.stringMatching(/^preset group-chat with its patch: scenario\.durationMs: 0 is too small/),
      'seeds: a sweep needs at least one seed',
    ]);
    expect(errorsOf({ scenario: 'group-chat', axes: [], seeds: [1] })).toEqual(['axes: a sweep varies one or two fields, got 0']);
  });

  test('the number of runs has a limit', () => {
    // 50 values × 21 seeds = 1,050 runs, over the limit of 1,000.
    const values = Array.from({ length: 50 }, (_, i) => 1000 + i);
    const seeds = Array.from({ length: 21 }, (_, i) => i);
    expect(errorsOf({ scenario: 'group-chat', axes: [{ path: 'durationMs', values }], seeds })).toEqual(['sweep: 1050 runs (values × seeds) is too many (allowed: at most 1000)']);
  });
});

describe('the plan', () => {
  test('points are the axes crossed (axis 1 outer), jobs are points × seeds', () => {
    // Two values by two values by two seeds: 4 points, 8 jobs in (point, seed) order.
    const p = plan({
      scenario: 'group-chat',
      patch: SHORT,
      axes: [
        { path: 'chat.ordering', values: ['none', 'per-channel'] },
        { path: 'topology.wsServers', values: [1, 3] },
      ],
      seeds: [7, 3],
    });
    expect(p.points.map((pt) => pt.values)).toEqual([
      ['none', 1],
      ['none', 3],
      ['per-channel', 1],
      ['per-channel', 3],
    ]);
    expect(p.jobs.map((j) => [j.point, j.seed])).toEqual([0, 1, 2, 3].flatMap((i) => [[i, 7], [i, 3]]));
    expect(p.points[1]?.patch).toEqual({ ...SHORT, chat: { ordering: 'none' }, topology: { wsServers: 3 } });
  });

  test('equal scenarios share a hash however they were written; different ones differ', () => {
    // group-chat already has 3 servers: the point with 3 is the preset itself.
    const parsed = parseScenario(presetById('group-chat')?.scenario);
    if (!parsed.ok) throw new Error('group-chat is invalid');
    const p = plan({ scenario: 'group-chat', axes: [{ path: 'topology.wsServers', values: [3, 4] }], seeds: [1] });
    expect(p.points[0]?.scenarioHash).toBe(scenarioHash(parsed.scenario));
    expect(p.points[1]?.scenarioHash).not.toBe(p.points[0]?.scenarioHash);
    expect(scenarioHash(parsed.scenario)).toMatch(/^[0-9a-f]{16}$/);
    // The same scenario given as an object hashes the same as the preset.
    const asObject = plan({ scenario: parsed.scenario as unknown as Record<string, unknown>, axes: [{ path: 'topology.wsServers', values: [3] }], seeds: [1] });
    expect(asObject.points[0]?.scenarioHash).toBe(scenarioHash(parsed.scenario));
  });

  test('an object value replaces the field instead of merging into it', () => {
    // rate-limit-burst has a sliding log with `boundary`; a token bucket has no such field, so a
    // merge would be refused by the strict schema. The point's patch deletes what the value lacks.
    const p = plan({ scenario: 'rate-limit-burst', axes: [{ path: 'rateLimit.limiter', values: [{ algorithm: 'token-bucket', limit: 5, windowMs: 1000 }] }], seeds: [1] });
    expect(p.points[0]?.scenario.rateLimit.limiter).toMatchObject({ algorithm: 'token-bucket', limit: 5, windowMs: 1000 });
    expect(buildRun('rate-limit-burst', 1, p.points[0]?.patch).cluster?.scenario.rateLimit.limiter).toEqual(p.points[0]?.scenario.rateLimit.limiter);
  });
});

describe('running a sweep', () => {
  const spec: SweepSpec = { scenario: 'group-chat', patch: SHORT, axes: [{ path: 'topology.wsServers', values: [1, 2, 4] }], seeds: [1, 2] };

  test('the same spec gives the same results, in any order of running', () => {
    // Run the plan serially twice, and its jobs once in reverse: ordered, all three are identical.
    const p = plan(spec);
    const first = runSweep(p);
    expect(runSweep(plan(spec))).toEqual(first);
    const reversed = [...p.jobs].reverse().map(runSweepJob);
    expect(orderResults(p, reversed)).toEqual(first);
    expect(new Set(first.map((r) => r.traceHash)).size).toBe(first.length);
  });

  test('each result is the run a workbench opens from the point patch and the seed', () => {
    // The point's patch over the preset builds the same scenario; runScenario gives the same trace hash.
    const p = plan(spec);
    const results = runSweep(p);
    for (const r of [results[0], results[5]]) {
      if (r === undefined) throw new Error('missing result');
      const built = buildRun('group-chat', r.seed, p.points[r.point]?.patch);
      if (built.cluster === null) throw new Error('not a cluster');
      expect(scenarioHash(built.cluster.scenario)).toBe(r.scenarioHash);
      expect(runScenario(built.cluster.scenario, { seed: r.seed }).report.traceHash).toBe(r.traceHash);
    }
  });

  test('orderResults refuses an incomplete set', () => {
    // A missing job is a bug in a pool, not something to paper over.
    const p = plan({ ...spec, seeds: [1] });
    const results = runSweep(p);
    expect(() => orderResults(p, results.slice(1))).toThrow(/no result for point 0 seed 1/);
  });
});

describe('figures', () => {
  test('the figures are the report of the same run, flattened, every name documented', () => {
    // One run measured by the sweep and by runScenario: every figure is read from the report.
    const p = plan({ scenario: 'group-chat', patch: SHORT, axes: [{ path: 'chat.ordering', values: ['per-channel'] }], seeds: [5] });
    const [r] = runSweep(p);
    if (r === undefined) throw new Error('missing result');
    const { report } = runScenario(p.points[0]?.scenario ?? (undefined as never), { seed: 5 });
    const f = r.figures;
    expect(r.traceHash).toBe(report.traceHash);
    expect(f['events']).toBe(report.events);
    expect(f['counts.sent']).toBe(report.counts.sent);
    expect(f['counts.delivered']).toBe(report.counts.delivered);
    expect(f['latency.p99Ms']).toBe(report.latencyMs?.p99);
    expect(f['messagesPerStoredMessage']).toBe(report.messagesPerPersisted);
    expect(f['messages.broker']).toBe(report.messagesPerComponent['broker']);
    expect(f['transport.chatBytes']).toBe(report.transport.chat.bytes);
    expect(f['transport.connectionsHeldPeak']).toBe(report.transport.connectionsHeldPeak);
    const ws = Object.values(report.nodes).filter((n) => n.kind === 'ws-server');
    expect(f['cpu.ws-server.processed']).toBe(ws.reduce((n, x) => n + x.processed, 0));
    expect(f['cpu.ws-server.utilizationMax']).toBe(Math.max(...ws.map((x) => x.utilization)));
    // A silent checker still has its column, at 0.
    expect(f['violations.ordering']).toBe(0);
    expect(f['violations.total']).toBe(0);
    for (const name of Object.keys(f)) expect(figureDoc(name), name).not.toBeNull();
    expect(figureDoc('no.such.figure')).toBeNull();
    expect(figureDoc('cpu.ws-server.utilizationMax')?.unit).toBe('ratio');
    for (const doc of SWEEP_FIGURES) expect(doc.unit).not.toBe('');
  });

  test('violations are counted per checker', () => {
    // Without sequence numbers on a jittery back end the ordering checker fires (the preset's lesson).
    const p = plan({ scenario: 'reordering-without-sequence', axes: [{ path: 'chat.ordering', values: ['none'] }], seeds: [1] });
    const [r] = runSweep(p);
    const { report } = runScenario(p.points[0]?.scenario ?? (undefined as never), { seed: 1 });
    const by = violationsByChecker(report);
    expect(r?.figures['violations.ordering']).toBe(by['ordering']);
    expect(r?.figures['violations.ordering']).toBeGreaterThan(0);
    expect(r?.figures['violations.total']).toBe(report.violations.length);
  });

  test('the spread across seeds: min, median (mean of the middle two for an even count), max', () => {
    // Fabricated figures on a real plan, so the arithmetic is checked exactly.
    const p = plan({ scenario: 'group-chat', axes: [{ path: 'topology.wsServers', values: [1, 2] }], seeds: [1, 2, 3, 4] });
    const mk = (point: number, seed: number, x: number | null) => ({ point, seed, values: p.points[point]?.values ?? [], scenarioHash: '', traceHash: '', figures: { x } });
    const results = [mk(0, 1, 5), mk(0, 2, 1), mk(0, 3, 3), mk(1, 1, 4), mk(1, 2, 2), mk(1, 3, 10), mk(1, 4, 8)];
    expect(spreadByPoint(p, results, 'x')).toEqual([
      { point: 0, values: [1], n: 3, min: 1, median: 3, max: 5 },
      { point: 1, values: [2], n: 4, min: 2, median: 6, max: 10 },
    ]);
    // Null figures are left out; a point with no results yet is absent.
    expect(spreadByPoint(p, [mk(0, 1, null)], 'x')).toEqual([{ point: 0, values: [1], n: 0, min: null, median: null, max: null }]);
  });

  test('CSV: a header of axes, seed, hashes and figures; one row per run; empty for null', () => {
    // A value with a comma is quoted; a null latency is an empty field.
    const p = plan({ scenario: 'group-chat', patch: SHORT, axes: [{ path: 'description', values: ['a, "b"'] }], seeds: [1] });
    const results = runSweep(p).map((r) => ({ ...r, figures: { ...r.figures, 'latency.p50Ms': null } }));
    const lines = sweepCsv(p, results).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(0, 5)).toEqual(['description', 'seed', 'scenarioHash', 'traceHash', 'events']);
    expect(header.slice(4)).toEqual(figureNames(results));
    expect(lines[1]).toMatch(/^"a, ""b""",1,[0-9a-f]{16},[0-9a-f]{16},\d+,/);
    const row = lines[1]?.replace(/^"[^]*?""",/, 'x,').split(',') ?? [];
    expect(row[header.indexOf('latency.p50Ms')]).toBe('');
  });
});
