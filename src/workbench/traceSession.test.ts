/**
 * Browsing a trace file without re-running it: a CLI trace opened with `openTrace` answers every
 * view as the live run does at the same playhead (trace hash, table, sequence, chat, pub/sub
 * graph, rate limits, the whiteboard's actual flow), is read-only, and a damaged file is refused
 * with its line named while the run loaded before stays.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario, presetById, runScenario } from '../sim/index.ts';
import { createWorkbench } from './index.ts';

function cliRun(id: string, seed: number, untilMs: number) {
  const parsed = parseScenario(presetById(id)?.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const { report, trace } = runScenario(parsed.scenario, { seed, untilMs });
  return { report, jsonl: trace.toJsonLines() };
}

describe('openTrace', () => {
  // Proves the views of a trace file equal the live run's at the same playheads, forward and back.
  test('a CLI trace browses like the live run', () => {
    const { jsonl } = cliRun('group-chat', 42, 20_000);
    const file = createWorkbench();
    const opened = file.openTrace(jsonl, 'group-chat.jsonl', { graph: true });
    expect(opened.events).toBe(jsonl.split('\n').length - 1);
    expect(opened.topology.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['gw', 'ws-1', 'chat', 'db', 'c-u1']));
    expect(opened.topology.users.map((u) => u.user)).toContain('u1');

    const live = createWorkbench();
    live.open('group-chat', 42);
    for (const at of [12_345, 4_000, 15_000]) {
      const a = live.seekTo(at, { graph: true });
      const b = file.seekTo(at, { graph: true });
      expect(b.summary.nowMs).toBe(a.summary.nowMs);
      expect(b.summary.traceHash).toBe(a.summary.traceHash);
      expect(b.summary.eventCount).toBe(a.summary.eventCount);
      expect(b.graph).toEqual(a.graph);
      expect(file.table({ hideTimers: true, limit: 50 })).toEqual(live.table({ hideTimers: true, limit: 50 }));
      for (const query of [{ mode: 'follow' }, { mode: 'window', fromMs: 0, toMs: at }] as const) {
        const seqA = live.sequence(query);
        expect(seqA.text.length).toBeGreaterThan(0);
        expect(file.sequence(query)).toEqual(seqA);
      }
      const shown = (v: ReturnType<typeof live.chat>) => v.channels.map((c) => [c.id, c.shown.map((m) => m.id)]).sort();
      expect(shown(file.chat('u3'))).toEqual(shown(live.chat('u3')));
      expect(file.actualFlow({ kind: 'group' })).toEqual(live.actualFlow({ kind: 'group' }));
      expect(file.eventAt(100)).toEqual(live.eventAt(100));
      expect(file.exportTrace('jsonl')).toBe(live.exportTrace('jsonl'));
    }
    expect(file.report()).toBeNull();
    expect(file.goals([])).toEqual([]);
  });

  // Proves the whole file's hash at its end is the CLI report's trace hash, and stepping moves one event.
  test('at the end of the file the hash is the CLI report’s', () => {
    const { report, jsonl } = cliRun('private-chat', 3, 5_000);
    const wb = createWorkbench();
    const opened = wb.openTrace(jsonl, 'p.jsonl');
    const end = wb.seekTo(opened.endMs);
    expect(end.summary.eventCount).toBe(report.events);
    expect(end.summary.traceHash).toBe(report.traceHash);
    wb.seekTo(1_000);
    const before = wb.current().summary.eventCount;
    expect(wb.stepEvent().summary.eventCount).toBe(before + 1);
  });

  // Proves the rate-limit view reads a trace file too.
  test('rate-limit decisions come from the file', () => {
    const { jsonl } = cliRun('rate-limit-burst', 1, 70_000);
    const live = createWorkbench();
    live.open('rate-limit-burst', 1);
    // The file ends just after its last event (69.018 s for this seed), so both go to 69 s.
    live.seekTo(69_000);
    const file = createWorkbench();
    file.openTrace(jsonl, 'rl.jsonl');
    file.seekTo(69_000);
    expect(file.rateLimit().hasDecisions).toBe(true);
    expect(file.rateLimit()).toEqual(live.rateLimit());
  });

  // Proves a trace file is read-only, and a damaged one is refused by line while the loaded run stays.
  test('read-only, and a damaged file is refused with its line', () => {
    const { jsonl } = cliRun('private-chat', 3, 2_000);
    const wb = createWorkbench();
    wb.open('private-chat', 3);
    const lines = jsonl.split('\n');
    lines[4] = '{"seq":4,"at":"soon"}';
    expect(() => wb.openTrace(lines.join('\n'), 'bad.jsonl')).toThrow(/^bad\.jsonl: line 5: the field "node" is missing/);
    expect(wb.current().summary.scenario).toBe('private-chat');
    wb.openTrace(jsonl, 'good.jsonl');
    expect(wb.current().summary.scenario).toBe('good.jsonl');
    expect(() => wb.operate({ verb: 'crash', node: 'ws-1' })).toThrow(/"good\.jsonl" is a trace file, read-only/);
    expect(() => wb.sendAs('u1', 'dm:u1:u2', 'hi')).toThrow(/read-only/);
    // Opening a scenario again leaves the file.
    wb.open('private-chat', 3);
    expect(wb.current().summary.scenario).toBe('private-chat');
  });
});
