import { describe, expect, test } from 'vitest';
import { createSimApi } from './api.ts';
import { GOLDEN_GROUP_CHAT, GOLDEN_KERNEL_DEMO } from './golden.ts';

describe('createSimApi', () => {
  test('loads a scenario, runs in slices and reports the new events of each slice', () => {
    const api = createSimApi();
    expect(api.scenarios().map((s) => s.id)).toContain('kernel-demo');
    const first = api.load({ scenario: 'kernel-demo', seed: 42, maxEventsPerSlice: 50 });
    expect(first).toMatchObject({ seed: 42, scenario: 'kernel-demo', nowMs: 0, eventCount: 0, events: [] });
    const a = api.runFor(100);
    expect(a.nowMs).toBe(100);
    expect(a.eventCount).toBeGreaterThan(0);
    expect(a.events.at(-1)?.seq).toBe(a.eventCount - 1);
    const b = api.runFor(2000);
    // More events than the cap: the slice carries the newest 50 and says it was capped.
    expect(b.eventsCapped).toBe(true);
    expect(b.events).toHaveLength(50);
    expect(b.events[0]?.seq).toBe(b.eventCount - 50);
  });

  test('the golden run: kernel-demo seed 42 to 2,000 ms has a pinned hash (the browser checks it too)', () => {
    const api = createSimApi();
    api.load({ scenario: 'kernel-demo', seed: GOLDEN_KERNEL_DEMO.seed });
    const s = api.runFor(GOLDEN_KERNEL_DEMO.untilMs);
    expect({ eventCount: s.eventCount, traceHash: s.traceHash }).toEqual({ eventCount: GOLDEN_KERNEL_DEMO.eventCount, traceHash: GOLDEN_KERNEL_DEMO.traceHash });
  });

  test('every cluster preset loads and runs through the API', () => {
    const api = createSimApi();
    for (const { id } of api.scenarios()) {
      api.load({ scenario: id, seed: 3 });
      const s = api.runFor(5000);
      expect(s.eventCount, id).toBeGreaterThan(0);
    }
    expect(api.scenarios().map((s) => s.id)).toEqual(expect.arrayContaining(['group-chat', 'crash-at-least-once', 'no-broker']));
    expect(api.scenarios().map((s) => s.id)).not.toContain('million-users');
  });

  test('the golden cluster run: group-chat seed 42 to 20,000 ms has a pinned hash (the browser checks it too)', () => {
    const api = createSimApi();
    api.load({ scenario: GOLDEN_GROUP_CHAT.scenario, seed: GOLDEN_GROUP_CHAT.seed });
    const s = api.runFor(GOLDEN_GROUP_CHAT.untilMs);
    expect({ eventCount: s.eventCount, traceHash: s.traceHash }).toEqual({ eventCount: GOLDEN_GROUP_CHAT.eventCount, traceHash: GOLDEN_GROUP_CHAT.traceHash });
  });

  test('seek back then forward lands on the same run; step advances one event', () => {
    const api = createSimApi();
    api.load({ scenario: 'kernel-demo', seed: 7 });
    const at3 = api.runFor(3000);
    api.runFor(2000);
    const back = api.seek(3000);
    expect(back.traceHash).toBe(at3.traceHash);
    expect(back.eventCount).toBe(at3.eventCount);
    const stepped = api.step();
    expect(stepped.eventCount).toBeGreaterThanOrEqual(back.eventCount);
  });

  test('the app can act as a user, apply faults, and read a user\'s screen and the run\'s report', () => {
    // sendAs goes through the user's own client (an operator verb in the trace), so it arrives
    // at the other member exactly as a typed message would.
    const api = createSimApi();
    api.load({ scenario: 'private-chat', seed: 3 });
    api.runFor(2000);
    const topo = api.topology();
    expect(topo.users.map((u) => u.user)).toEqual(['u1', 'u2']);
    expect(topo.nodes.find((n) => n.id === 'gw')?.kind).toBe('gateway');
    api.sendAs('u2', 'dm:u1:u2', 'typed <i>by hand</i>');
    api.runFor(1000);
    const view = api.userView('u1');
    expect(view.online).toBe(true);
    expect(view.channels[0]?.shown.map((m) => [m.author, m.text])).toEqual([['u2', 'typed <i>by hand</i>']]);
    expect(api.events(0).some((e) => e.type === 'op/injected')).toBe(true);
    api.operate({ verb: 'crash', node: 'ws-1' });
    api.runFor(100);
    expect(api.events(0).some((e) => e.type === 'op/crashed')).toBe(true);
    const report = api.report();
    expect(report?.counts.sent).toBe(api.events(0).filter((e) => e.type === 'client/messageSent').length);
    expect(report?.counts.sent).toBeGreaterThanOrEqual(1);
    expect(() => api.sendAs('u9', 'dm:u1:u2', 'x')).toThrow(/unknown user "u9"; users are u1, u2/);
  });

  test('after a seek back the kept events are the run\'s, not a mixture', () => {
    const api = createSimApi();
    api.load({ scenario: 'group-chat', seed: 5 });
    api.runFor(4000);
    const before = api.events(0, undefined, 1e6);
    api.runFor(3000);
    api.seek(4000);
    const after = api.events(0, undefined, 1e6);
    expect(after.length).toBe(before.length);
    expect(after.map((e) => e.seq)).toEqual(before.map((e) => e.seq));
  });

  test('bad input says what is wrong', () => {
    const api = createSimApi();
    expect(() => api.runFor(10)).toThrow(/no run loaded/);
    expect(() => api.load({ scenario: 'nope', seed: 1 })).toThrow(/unknown scenario "nope"; known: kernel-demo, private-chat, group-chat/);
    expect(() => api.load({ scenario: 'kernel-demo', seed: -3 })).toThrow(/seed must be an integer from 0 to 4294967295, got -3/);
  });
});

describe('report and user views for the workbench', () => {
  test('mid-run reports judge safety only; the final report judges loss too; shown messages carry their seq', () => {
    const api = createSimApi();
    api.load({ scenario: 'crash-at-most-once', seed: 1 });
    api.runFor(40_000);
    const mid = api.report();
    expect(mid?.violations.some((v) => v.checker === 'lost')).toBe(false);
    api.runFor(40_000);
    const final = api.report({ final: true });
    expect(final?.counts.lost).toBeGreaterThan(0);
    const view = api.userView('u1');
    const shown = view.channels.find((c) => c.id === 'g1')?.shown ?? [];
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((m) => typeof m.seq === 'number')).toBe(true);
  });
});
