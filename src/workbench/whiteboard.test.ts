import { describe, expect, test } from 'vitest';
import { checkSequence, compareComponents } from '../diagrams/index.ts';
import { createWorkbench } from './workbench.ts';

describe('the workbench answers the whiteboard check', () => {
  // The flow comes from the session's live index at the playhead: none before the first message, then m1's path, with the same seqs as a seek back and forth.
  test('actualFlow: private-chat seed 42, before and after the first message', () => {
    const wb = createWorkbench();
    wb.open('private-chat', 42);
    wb.advance(1_000);
    const early = wb.actualFlow({ kind: 'private' });
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.reason).toMatch(/no private message has reached a receiver live by t=/);
    wb.advance(9_000);
    const r = wb.actualFlow({ kind: 'private' });
    if (!r.ok) throw new Error(r.reason);
    expect([r.flow.message.id, r.flow.sender, r.flow.receiver]).toEqual(['m1', 'u1', 'u2']);
    // Each hop's seq is the trace event the table shows for it.
    for (const h of r.flow.hops.slice(0, 3)) expect(wb.eventAt(h.seq)?.causeSeq).toBe(h.sentSeq);
    wb.seekTo(2_000);
    expect(wb.actualFlow({ kind: 'private' }).ok).toBe(false);
    wb.seekTo(10_000);
    const again = wb.actualFlow({ kind: 'private' });
    expect(again.ok && again.flow.hops.map((h) => h.seq)).toEqual(r.flow.hops.map((h) => h.seq));
  });

  // A check run against the worker's answer gives the fixture's findings (a diagram without pub/sub).
  test('a wrong diagram checked against the workbench flow', () => {
    const wb = createWorkbench();
    wb.open('private-chat', 42);
    wb.advance(10_000);
    const r = wb.actualFlow({ kind: 'private' });
    if (!r.ok) throw new Error(r.reason);
    const text = [
      'sequenceDiagram',
      '  A->>GW: send',
      '  GW->>WS Server A: send',
      '  WS Server A->>Chat: submit',
      '  Chat->>DB: store',
      '  Chat->>WS Server B: push',
      '  WS Server B->>GW: deliver',
      '  GW->>B: deliver',
      '  WS Server A-->>GW: ack',
      '  GW-->>A: ack',
    ].join('\n');
    const codes = checkSequence(text, r.flow).findings.map((f) => f.code);
    expect(codes).toEqual(['participant-missing:broker', 'hop-extra:L6']);
  });

  // The component reference is the pub/sub view at the playhead, by kind: a lab-style drawing has no findings.
  test('actualComponents: group-chat seed 42 at 20 s', () => {
    const wb = createWorkbench();
    wb.open('group-chat', 42);
    wb.advance(20_000);
    const cluster = wb.actualComponents();
    expect(cluster.hasBroker).toBe(true);
    expect(cluster.kinds.find((k) => k.kind === 'ws-server')?.nodes).toEqual(['ws-1', 'ws-2', 'ws-3']);
    const nodes = [
      { id: 'c', kind: 'client' },
      { id: 'g', kind: 'gateway' },
      { id: 's1', kind: 'ws-server' },
      { id: 's2', kind: 'ws-server' },
      { id: 'b', kind: 'broker' },
      { id: 'x', kind: 'chat' },
      { id: 'd', kind: 'db' },
    ];
    const edges = [['c', 'g'], ['g', 's1'], ['g', 's2'], ['s1', 'x'], ['s2', 'x'], ['x', 'd'], ['x', 'b'], ['s1', 'b'], ['s2', 'b'], ['b', 's1'], ['b', 's2']].map(([source, target]) => ({ source: source as string, target: target as string }));
    expect(compareComponents({ nodes, edges }, cluster).findings).toEqual([]);
  });
});
