/**
 * The Perfetto / Chrome export against the Trace Event Format: a zod schema of every event the
 * converter emits (the JSON object form, phases M, X, s, f, i with their required fields), plus
 * the rules the format leaves to prose: flows pair by (id, cat, name), every "f" has an earlier
 * "s", each one lands inside a slice of its own thread, slices on one thread nest or are apart,
 * and times on a thread never go back. Checked on real runs of presets and, with fast-check, on
 * random small scenarios (with crashes and duplicated links).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parseScenario, presetById, runScenario, type Scenario, type ScenarioInput, type TraceEvent } from '../sim/index.ts';
import { EVENTS_TID, FLOW_CAT, FLOW_NAME, MOMENT_US, perfettoJson, toMicros, toPerfetto } from './perfetto.ts';

const pid = z.number().int().nonnegative();
const ts = z.number().finite().nonnegative();
const args = z.record(z.string(), z.unknown());

const metadata = z.strictObject({
  ph: z.literal('M'),
  name: z.enum(['process_name', 'process_sort_index', 'thread_name', 'thread_sort_index']),
  pid,
  tid: z.number().int().nonnegative(),
  args: z.union([z.strictObject({ name: z.string().min(1) }), z.strictObject({ sort_index: z.number().int() })]),
});
const slice = z.strictObject({ ph: z.literal('X'), name: z.string().min(1), cat: z.string().min(1), pid, tid: z.number().int().positive(), ts, dur: z.number().finite().positive(), args });
const flowStart = z.strictObject({ ph: z.literal('s'), name: z.string().min(1), cat: z.string().min(1), id: z.number().int().nonnegative(), pid, tid: z.number().int().positive(), ts });
const flowEnd = z.strictObject({ ph: z.literal('f'), name: z.string().min(1), cat: z.string().min(1), id: z.number().int().nonnegative(), pid, tid: z.number().int().positive(), ts, bp: z.literal('e') });
const instant = z.strictObject({ ph: z.literal('i'), name: z.string().min(1), cat: z.string().min(1), s: z.enum(['g', 'p', 't']), pid, tid: z.number().int().nonnegative(), ts, args });
const traceEvent = z.discriminatedUnion('ph', [metadata, slice, flowStart, flowEnd, instant]);
const traceFile = z.strictObject({
  traceEvents: z.array(traceEvent),
  displayTimeUnit: z.enum(['ms', 'ns']),
  otherData: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
type Parsed = z.infer<typeof traceFile>;

/** The format's rules beyond field types; returns the first broken one, or null. */
function formatProblem(file: Parsed): string | null {
  const named = new Set<string>();
  for (const e of file.traceEvents) if (e.ph === 'M' && e.name === 'process_name') named.add(String(e.pid));
  for (const e of file.traceEvents) if (e.ph === 'M' && e.name === 'thread_name') named.add(`${e.pid}/${e.tid}`);
  const lastTs = new Map<string, number>();
  const slices = new Map<string, { ts: number; end: number }[]>();
  const starts = new Map<string, number>();
  const ended = new Set<string>();
  let metaDone = false;
  for (const [i, e] of file.traceEvents.entries()) {
    if (e.ph === 'M') {
      if (metaDone) return `event ${i}: metadata after trace events`;
      continue;
    }
    metaDone = true;
    if (!named.has(String(e.pid))) return `event ${i}: process ${e.pid} has no process_name`;
    if (e.ph === 'i') {
      if (e.s !== 'g') return `event ${i}: instant not global`;
      continue;
    }
    const thread = `${e.pid}/${e.tid}`;
    if (!named.has(thread)) return `event ${i}: thread ${thread} has no thread_name`;
    if (e.ts < (lastTs.get(thread) ?? 0)) return `event ${i}: time goes back on thread ${thread}`;
    lastTs.set(thread, e.ts);
    const open = slices.get(thread) ?? [];
    slices.set(thread, open);
    if (e.ph === 'X') {
      // Slices on a thread are apart or nested, never crossing.
      while (open.length > 0 && (open.at(-1) as { end: number }).end < e.ts) open.pop();
      const parent = open.at(-1);
      if (parent !== undefined && e.ts + e.dur > parent.end) return `event ${i}: slice crosses the end of the slice before it on ${thread}`;
      open.push({ ts: e.ts, end: e.ts + e.dur });
      continue;
    }
    const key = `${e.id}|${e.cat}|${e.name}`;
    const enclosing = open.find((s) => s.ts <= e.ts && e.ts <= s.end);
    if (enclosing === undefined) return `event ${i}: flow ${e.ph} ${key} is not inside a slice of ${thread}`;
    if (e.ph === 's') {
      if (starts.has(key)) return `event ${i}: flow ${key} starts twice`;
      starts.set(key, e.ts);
    } else {
      const at = starts.get(key);
      if (at === undefined) return `event ${i}: flow ${key} ends with no earlier start`;
      if (at > e.ts) return `event ${i}: flow ${key} ends before it starts`;
      if (ended.has(key)) return `event ${i}: flow ${key} ends twice`;
      ended.add(key);
    }
  }
  for (const key of starts.keys()) if (!ended.has(key)) return `flow ${key} never ends`;
  return null;
}

/** Parses an export's text and checks it; returns the parsed file. */
function check(text: string): Parsed {
  const parsed = traceFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(parsed.error.issues.slice(0, 3).map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
  expect(formatProblem(parsed.data)).toBeNull();
  return parsed.data;
}

function preset(id: string): Scenario {
  const p = presetById(id);
  if (p === undefined) throw new Error(`no preset ${id}`);
  const parsed = parseScenario(p.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}

function runEvents(scenario: Scenario, seed: number, untilMs?: number): readonly TraceEvent[] {
  return runScenario(scenario, { seed, ...(untilMs === undefined ? {} : { untilMs }) }).trace.events;
}

describe('perfetto export', () => {
  // Proves real runs export to the format: schema, flow pairing, nesting, per-thread time order;
  // and that every delivered message is one arrow and every operator verb one instant.
  test.each([
    ['private-chat', 3, undefined],
    ['group-chat', 42, 20_000],
    ['crash-at-least-once', 7, 30_000],
    ['reordering-without-sequence', 1, 20_000],
  ] as const)('%s seed %i validates against the trace-event format', (id, seed, untilMs) => {
    const events = runEvents(preset(id), seed, untilMs);
    const file = check(perfettoJson(events, { scenario: id, seed }));
    const deliveredWithSend = events.filter((e) => {
      if (e.type !== 'net/messageDelivered' || e.causeSeq === null) return false;
      return events[e.causeSeq]?.type === 'net/messageSent';
    });
    expect(deliveredWithSend.length).toBeGreaterThan(0);
    expect(file.traceEvents.filter((e) => e.ph === 's')).toHaveLength(deliveredWithSend.length);
    expect(file.traceEvents.filter((e) => e.ph === 'f')).toHaveLength(deliveredWithSend.length);
    expect(file.traceEvents.filter((e) => e.ph === 'i')).toHaveLength(events.filter((e) => e.type.startsWith('op/')).length);
    // Every node that recorded an event is a named process.
    const nodes = new Set(events.filter((e) => !e.type.startsWith('op/')).map((e) => e.node));
    const names = file.traceEvents.flatMap((e) => (e.ph === 'M' && e.name === 'process_name' && 'name' in e.args ? [e.args.name] : []));
    expect(new Set(names)).toEqual(new Set([...nodes, ...(file.traceEvents.some((e) => e.ph === 'i') ? ['operator'] : [])]));
  });

  // Proves the crash preset's verbs arrive as instants at their µs time, named by the verb.
  test('operator verbs are global instants at their time', () => {
    const events = runEvents(preset('crash-at-least-once'), 7, 30_000);
    const ops = events.filter((e) => e.type.startsWith('op/'));
    expect(ops.map((e) => e.type)).toEqual(['op/crashed', 'op/restarted']);
    const instants = toPerfetto(events).traceEvents.filter((e) => e.ph === 'i');
    expect(instants.map((e) => [e.name, e.ts])).toEqual(ops.map((e) => [(e.data as { op: { verb: string } }).op.verb, toMicros(e.at)]));
  });

  // Proves one message's arrow: its s on the sender at the send's µs, its f on the receiver at the delivery's.
  test('a message is an arrow from its send to its delivery', () => {
    const events = runEvents(preset('private-chat'), 3, 2_000);
    const delivered = events.find((e) => e.type === 'net/messageDelivered') as TraceEvent;
    const sent = events[delivered.causeSeq as number] as TraceEvent;
    const out = toPerfetto(events).traceEvents;
    const pidOf = (node: string) => out.find((e) => e.ph === 'M' && e.name === 'process_name' && 'name' in e.args && e.args.name === node)?.pid;
    const s = out.find((e) => e.ph === 's' && e.id === delivered.seq);
    const f = out.find((e) => e.ph === 'f' && e.id === delivered.seq);
    expect(s).toMatchObject({ cat: FLOW_CAT, name: FLOW_NAME, pid: pidOf(sent.node), tid: EVENTS_TID, ts: toMicros(sent.at) });
    expect(f).toMatchObject({ cat: FLOW_CAT, name: FLOW_NAME, pid: pidOf(delivered.node), tid: EVENTS_TID, ts: toMicros(delivered.at), bp: 'e' });
    const moment = out.find((e) => e.ph === 'X' && e.cat === 'moment' && e.pid === pidOf(delivered.node) && e.ts === toMicros(delivered.at));
    expect(moment).toMatchObject({ dur: MOMENT_US });
  });

  // Proves handled inputs become cpu slices from arrival to the input's last effect, on work threads.
  test('handled inputs are cpu slices from arrival to their last effect', () => {
    const events = runEvents(preset('private-chat'), 3, 2_000);
    const out = toPerfetto(events).traceEvents;
    const cpu = out.filter((e) => e.ph === 'X' && e.cat === 'cpu');
    expect(cpu.length).toBeGreaterThan(0);
    for (const e of cpu) {
      if (e.ph !== 'X') continue;
      const input = events[e.args['inputSeq'] as number] as TraceEvent;
      const last = Math.max(...events.filter((x) => x.causeSeq === input.seq && x.node === input.node).map((x) => x.at));
      expect([e.ts, e.ts + e.dur]).toEqual([toMicros(input.at), toMicros(last)]);
      expect(e.tid).toBeGreaterThan(EVENTS_TID);
    }
  });

  // Proves the export is deterministic: the same run twice gives byte-identical text.
  test('same run, byte-identical export', () => {
    const a = perfettoJson(runEvents(preset('group-chat'), 42, 10_000), { scenario: 'group-chat', seed: 42 });
    const b = perfettoJson(runEvents(preset('group-chat'), 42, 10_000), { scenario: 'group-chat', seed: 42 });
    expect(b).toBe(a);
  });

  // Proves the checker itself fires: an arrow's end with no start, and a slice crossing another.
  test('the format checker catches a dangling flow end and crossing slices', () => {
    const meta = [
      { ph: 'M', name: 'process_name', pid: 1, tid: 0, args: { name: 'gw' } },
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'events' } },
    ] as const;
    const x = (t: number, dur: number) => ({ ph: 'X', name: 'n', cat: 'c', pid: 1, tid: 1, ts: t, dur, args: {} }) as const;
    const base = { displayTimeUnit: 'ms', otherData: {} } as const;
    expect(formatProblem(traceFile.parse({ ...base, traceEvents: [...meta, x(5, 1), { ph: 'f', name: 'm', cat: 'net', id: 3, pid: 1, tid: 1, ts: 5, bp: 'e' }] }))).toMatch(/no earlier start/);
    expect(formatProblem(traceFile.parse({ ...base, traceEvents: [...meta, x(5, 4), x(6, 4)] }))).toMatch(/crosses/);
    expect(formatProblem(traceFile.parse({ ...base, traceEvents: [...meta, x(5, 1), x(4, 1)] }))).toMatch(/time goes back/);
    expect(traceFile.safeParse({ ...base, traceEvents: [{ ph: 'X', name: 'n', pid: 1, tid: 1, ts: 1, dur: 1, args: {} }] }).success).toBe(false);
  });

  // Proves an empty trace is still a valid file.
  test('an empty trace is a valid empty file', () => {
    expect(check(perfettoJson([])).traceEvents).toEqual([]);
  });

  // Proves, on random small scenarios with crashes and duplicated links, that the export never
  // throws and always validates.
  test('random small scenarios always export to a valid trace', () => {
    const scenarioArb = fc.record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      users: fc.integer({ min: 2, max: 5 }),
      privateChats: fc.integer({ min: 0, max: 2 }),
      groups: fc.integer({ min: 0, max: 1 }),
      durationMs: fc.integer({ min: 300, max: 2_500 }),
      crashAt: fc.option(fc.integer({ min: 100, max: 2_000 }), { nil: undefined }),
      duplicate: fc.boolean(),
    });
    fc.assert(
      fc.property(scenarioArb, (p) => {
        const faults: NonNullable<ScenarioInput['faults']>[number][] = [];
        if (p.crashAt !== undefined) faults.push({ at: p.crashAt, op: { verb: 'crash', node: 'ws-1' } }, { at: p.crashAt + 300, op: { verb: 'restart', node: 'ws-1' } });
        if (p.duplicate) faults.push({ at: 50, op: { verb: 'duplicate', from: 'gw', to: 'ws-1', ratio: { num: 1, den: 2 }, twoWay: true } });
        const input: ScenarioInput = {
          id: 'fc',
          durationMs: p.durationMs,
          settleMs: 500,
          workload: { users: p.users, privateChats: p.privateChats, groups: { count: p.groups, size: { kind: 'fixed', size: Math.min(3, p.users) } }, sendRatePerUserPerSec: 2 },
          faults,
        };
        const parsed = parseScenario(input);
        if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
        check(perfettoJson(runEvents(parsed.scenario, p.seed), { seed: p.seed }));
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});
