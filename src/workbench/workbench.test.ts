import { describe, expect, test } from 'vitest';
import { createWorkbench, type Workbench } from './workbench.ts';

const SEED = 42;

/** Runs `wb` forward to the absolute time `ms`. */
const to = (wb: Workbench, ms: number) => wb.advance(ms - wb.current().summary.nowMs);

/** A workbench with `scenario` loaded at seed 42 (open runs the first millisecond). */
function opened(scenario = 'group-chat'): Workbench {
  const wb = createWorkbench();
  wb.open(scenario, SEED);
  return wb;
}

describe('the session: frames, interventions and seeking', () => {
  // Proves a frame carries the pub/sub graph and the traffic of its time slice when asked, and
  // nothing heavy when not.
  test('advance returns the graph and the flows of the slice', () => {
    const wb = opened();
    const frame = wb.advance(4_999, { graph: true, flows: true });
    expect(frame.summary.nowMs).toBe(5_000);
    expect(frame.summary.endMs).toBe(75_000);
    const ids = frame.graph?.nodes.map((n) => n.id) ?? [];
    expect(ids).toEqual(expect.arrayContaining(['gw', 'ws-1', 'ws-2', 'ws-3', 'broker', 'chat', 'db', 'c-u1']));
    expect(frame.flows?.length).toBeGreaterThan(0);
    const bare = wb.advance(100);
    expect(bare.graph).toBeNull();
    expect(bare.flows).toBeNull();
  });

  // Proves an intervention is kept on the timeline: scrubbing back before a crash and forward
  // again gives the byte-identical trace (same hash and count) as going straight there.
  test('a crash survives seeking back and forth', () => {
    const wb = opened();
    to(wb, 5_000);
    const crashed = wb.operate({ verb: 'crash', node: 'ws-2' });
    expect(crashed.interventions).toHaveLength(1);
    expect(crashed.interventions[0]).toMatchObject({ at: 5_000, label: 'crash ws-2', kind: 'fault' });
    // The verb's own event is where the answer says, at the time it says.
    expect(crashed.applied).toMatchObject({ at: 5_000 });
    expect(wb.eventAt(crashed.applied.seq)).toMatchObject({ type: 'op/crashed', at: 5_000 });
    const straight = to(wb, 10_000).summary;
    expect(straight.nowMs).toBe(10_000);

    wb.seekTo(2_000);
    expect(wb.current().summary.nowMs).toBe(2_000);
    const back = wb.seekTo(10_000).summary;
    expect(back.traceHash).toBe(straight.traceHash);
    expect(back.eventCount).toBe(straight.eventCount);

    // Landing between snapshots and playing on gives the same run too.
    wb.seekTo(7_321);
    const replayed = wb.advance(10_000 - 7_321).summary;
    expect(replayed.traceHash).toBe(straight.traceHash);
    expect(wb.table({ text: 'op/crashed' }).rows.map((r) => r.at)).toEqual([5_000]);
  });

  // Proves scaling verbs are interventions like any other (issue 9 item 11): added and drained
  // live, they survive seeking back before them and forward again, with the same hash.
  test('addServer and a drain survive seeking back and forth', () => {
    const wb = createWorkbench();
    wb.open('group-chat', SEED, {}, { topology: { maxWsServers: 4 } });
    to(wb, 5_000);
    expect(wb.operate({ verb: 'addServer' }).interventions[0]).toMatchObject({ at: 5_000, label: 'add a server', kind: 'repair' });
    to(wb, 8_000);
    expect(wb.operate({ verb: 'removeServer', node: 'ws-2', graceMs: 4_000 }).interventions[1]).toMatchObject({ at: 8_000, label: 'drain ws-2', kind: 'fault' });
    const straight = to(wb, 20_000).summary;
    expect(wb.table({ text: 'node/stopped' }).rows.map((r) => r.at)).toEqual([12_000]);
    wb.seekTo(3_000);
    expect(wb.seekTo(20_000).summary.traceHash).toBe(straight.traceHash);
    wb.seekTo(10_500);
    expect(wb.advance(20_000 - 10_500).summary.traceHash).toBe(straight.traceHash);
  });

  // Proves forgetting the only intervention gives back the untouched run.
  test('forget removes an intervention from the timeline', () => {
    const plain = opened();
    const untouched = to(plain, 8_000).summary.traceHash;
    const wb = opened();
    to(wb, 3_000);
    const { interventions } = wb.operate({ verb: 'partition', a: ['ws-1'], b: ['broker'] });
    to(wb, 8_000);
    const forgotten = wb.forget(interventions[0]?.id ?? -1);
    expect(forgotten.interventions).toEqual([]);
    expect(forgotten.summary.nowMs).toBe(8_000);
    expect(forgotten.summary.traceHash).toBe(untouched);
  });

  // Proves typing as a user reaches another member's screen, with markup kept as plain text.
  test('say sends as a user and the text reaches another member', () => {
    const wb = opened();
    wb.advance(3_000);
    const text = '<b>hi</b> & A->>B: %% #1';
    const frame = wb.sendAs('u1', 'g1', text);
    expect(frame.interventions[0]?.label).toContain('u1 sends');
    // A user's send is the user's action, not a fault.
    expect(frame.interventions[0]?.kind).toBe('user');
    expect(wb.eventAt(frame.applied.seq)?.type).toBe('op/injected');
    wb.advance(2_000);
    const u2 = wb.chat('u2').channels.find((c) => c.id === 'g1');
    expect(u2?.shown.map((m) => m.text)).toContain(text);
  });

  // Proves joining and leaving from the app is a user's action that really changes what the
  // user's screen holds: a channel joined shows new messages, a channel left stays read-only.
  test('membershipAs joins and leaves a channel as a user, and the screen follows', () => {
    const wb = createWorkbench();
    wb.open('join-and-leave', 1);
    wb.advance(2_000);
    expect(wb.chat('u8').joinable).toEqual(['g1']);
    const joined = wb.membershipAs('u8', 'g1', 'join');
    expect(joined.interventions[0]?.label).toBe('u8 joins g1');
    expect(joined.interventions[0]?.kind).toBe('user');
    wb.advance(5_000);
    const g1 = wb.chat('u8').channels.find((c) => c.id === 'g1');
    expect(g1?.member).toBe(true);
    expect(g1?.shownTotal).toBeGreaterThan(0);
    expect(wb.chat('u8').joinable).toEqual([]);
    wb.membershipAs('u1', 'g1', 'leave');
    wb.advance(3_000);
    const left = wb.chat('u1').channels.find((c) => c.id === 'g1');
    expect(left?.member).toBe(false);
    expect(left?.shownTotal).toBeGreaterThan(0);
    expect(() => wb.membershipAs('u1', 'dm:u1:u2', 'leave')).toThrow('"dm:u1:u2" is a private chat: its two members are fixed');
    expect(() => wb.membershipAs('u99', 'g1', 'join')).toThrow('unknown user "u99"');
  });

  // Proves a step handles one queued event: the trace grows by that event and what it caused
  // at once (a handful), never by a slice of time, and queue steps that trace nothing are skipped.
  test('stepEvent handles one event', () => {
    const wb = opened();
    for (let i = 0; i < 20; i++) {
      const before = wb.current().summary;
      const after = wb.stepEvent().summary;
      // Measured: 1 to 4 events per step here (seed 42), at most 7 over 3,000 steps on seeds 1–3
      // and 42 (a fan-out to a server's clients); a step that ran a slice of time would be hundreds.
      expect(after.eventCount - before.eventCount).toBeGreaterThanOrEqual(1);
      expect(after.eventCount - before.eventCount).toBeLessThan(12);
    }
  });
});

describe('going on after a failed worker', () => {
  // The page replays the person's verbs by seeking to each one's time and applying it again. A
  // verb issued after a Step lands 1 µs after the step's event (ADR 0010), so the seek must keep
  // the µs: seeking floored 29.001 to 29 and the replay drew another run.
  test('a verb applied at a fractional millisecond replays to the same trace hash', () => {
    const a = createWorkbench();
    a.open('group-chat', 42, {});
    a.stepEvent();
    const acted = a.operate({ verb: 'crash', node: 'ws-2' });
    expect(acted.applied.at % 1).not.toBe(0);
    const b = createWorkbench();
    b.open('group-chat', 42, {});
    for (const iv of acted.interventions) {
      b.seekTo(iv.at);
      b.operate(iv.op);
    }
    const resumed = b.seekTo(acted.summary.nowMs);
    expect(resumed.summary.nowMs).toBe(acted.summary.nowMs);
    expect(resumed.summary.traceHash).toBe(acted.summary.traceHash);
  });
});

describe('views answered next to the trace', () => {
  // Proves the rate-limit-burst run reads like the lab: five allowed, the sixth refused, the
  // seventh allowed, counted from the first request.
  test('rate-limit-burst gives the lab decisions', () => {
    const wb = opened('rate-limit-burst');
    wb.advance(75_000);
    const view = wb.rateLimit();
    expect(view.hasDecisions).toBe(true);
    expect(view.firstDecisionMs).not.toBeNull();
    const first = view.firstDecisionMs ?? 0;
    expect(view.timeline.marks.map((m) => [(m.t - first) / 1000, m.allowed])).toEqual([
      [0, true],
      [15, true],
      [20, true],
      [35, true],
      [55, true],
      [60, false],
      [65, true],
    ]);
  });

  // Proves the worked example is decided by the simulator's own limiter and matches the lab.
  test('the worked example matches the lab at 60 s', () => {
    const wb = createWorkbench();
    const { timeline: tl, timesMs } = wb.workedExample(60_000);
    expect(timesMs).toHaveLength(7);
    expect(tl.marks.map((m) => m.allowed)).toEqual([true, true, true, true, true, false]);
    expect(tl.bracket).toMatchObject({ startMs: 0, endMs: 60_000, count: 5, limit: 5 });
  });

  // Proves the table filters by domain, by text and hides network hops, newest last.
  test('table filters the trace', () => {
    const wb = opened();
    wb.advance(4_000);
    const all = wb.table({ limit: 50 });
    expect(all.rows).toHaveLength(50);
    expect(all.capped).toBe(true);
    expect(all.rows.at(-1)?.seq).toBe(all.total - 1);
    const noNet = wb.table({ hideNet: true, hideTimers: true, limit: 500 });
    expect(noNet.rows.every((r) => !r.type.startsWith('net/') && r.type !== 'node/timerFired')).toBe(true);
    const shown = wb.table({ domains: ['client'], text: 'messageShown', limit: 5 });
    expect(shown.rows.every((r) => r.type === 'client/messageShown')).toBe(true);
    expect(shown.rows[0]?.messageId).toMatch(/^m\d+$/);
    expect(all.domains).toEqual(expect.arrayContaining(['client', 'net', 'ws']));
  });

  // Proves the sequence view follows the latest message and lists the catalog for the picker.
  test('sequence follows the latest message and windows several', () => {
    const wb = opened();
    wb.advance(10_000);
    const latest = wb.sequence({ mode: 'follow' });
    expect(latest.text.startsWith('sequenceDiagram')).toBe(true);
    expect(latest.messages).toHaveLength(1);
    expect(latest.catalog.length).toBe(latest.catalogTotal);
    const windowed = wb.sequence({ mode: 'window', fromMs: 0, toMs: 10_000, channel: 'g1', hops: 'client', maxChatMessages: 3 });
    expect(windowed.messages.length).toBeLessThanOrEqual(3);
    expect(windowed.messages.every((m) => m.channel === 'g1')).toBe(true);
  });

  // Proves the catalog knows every scenario's length and whether it has a limiter.
  test('catalog describes the scenarios', () => {
    const wb = createWorkbench();
    const byId = new Map(wb.catalog().map((s) => [s.id, s]));
    expect(byId.get('rate-limit-burst')).toMatchObject({ endMs: 75_000, rateLimited: true });
    expect(byId.get('kernel-demo')).toMatchObject({ endMs: null, rateLimited: false });
    expect(byId.has('million-users')).toBe(false);
  });
});
