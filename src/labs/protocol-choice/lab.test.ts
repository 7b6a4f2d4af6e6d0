import { describe, expect, test } from 'vitest';
import { sequenceDiagram } from '../../diagrams/index.ts';
import { resolveStep, runToEnd } from '../framework/index.ts';
import { describeLab, LAB_BUDGET, sharedRuns } from '../framework/labTesting.test-helper.ts';
import { manifest } from './manifest.ts';

// The comparison's goal (no HTTP request per message) is reached by choosing a WebSocket.
describeLab(manifest, { reachWith: { compare: { transport: 'websocket' } } });

describe('protocol-choice specifics', LAB_BUDGET, () => {
  // Proves the table is measured, not written: the relations the lab's text states hold on the
  // lab's seed, read from the four runs.
  test('the comparison table holds what the text says of each transport', () => {
    const o = resolveStep(manifest, 'compare', 42, {}, sharedRuns);
    const v = (id: string): number => o.figures[id]?.value ?? Number.NaN;
    // A WebSocket makes no HTTP request per message; SSE at least one (the send's POST, plus a POST
    // per delivery ack from each member reached: 7.59 on seed 42); long polling more (polls too).
    expect(v('requests-ws')).toBe(0);
    expect(v('requests-tcp')).toBe(0);
    expect(v('requests-sse')).toBeGreaterThan(0.9);
    // The acks: with eight members, well above one request per message (the text says why).
    expect(v('requests-sse')).toBeGreaterThan(4);
    expect(v('requests-lp')).toBeGreaterThan(v('requests-sse'));
    // Bytes per stored message: long polling the most, a WebSocket and raw TCP the least.
    expect(v('bytes-lp')).toBeGreaterThan(v('bytes-sse'));
    expect(v('bytes-sse')).toBeGreaterThan(v('bytes-ws'));
    // Raw TCP has no HTTP upgrade: its handshakes cost the fewest bytes.
    expect(v('handshakeBytes-tcp')).toBeLessThan(v('handshakeBytes-ws'));
  });

  // Proves the starting setting does not meet the goal: the student has to choose.
  test('long polling does not meet the comparison step\u2019s goal', () => {
    expect(resolveStep(manifest, 'compare', 42, {}, sharedRuns).met).toBe(false);
  });

  // Proves the lifecycle step draws each transport's own connection from its own run: the
  // connect arrow names what it is on the wire with the bytes the run sent, SSE and long polling
  // send as POSTs, long polling polls, and the table's property rows fit its columns.
  test('each transport\u2019s connection is drawn from its run, named for what it is on the wire', () => {
    const expected = {
      websocket: { connect: 'HTTP upgrade to a WebSocket', post: false, poll: false },
      sse: { connect: 'GET of an event stream (SSE)', post: true, poll: false },
      'long-polling': { connect: 'HTTP session for long polls', post: true, poll: true },
      tcp: { connect: 'TCP connect, length-prefixed frames', post: false, poll: false },
    } as const;
    const handshake: Record<string, number> = {};
    for (const [transport, want] of Object.entries(expected)) {
      const o = resolveStep(manifest, 'lifecycles', 42, { controls: { transport } }, sharedRuns);
      const run = runToEnd(o.run);
      const text = sequenceDiagram(run.events, { messageId: o.focusMessageId ?? '', showConnect: true, atMs: o.seekToMs, transport: transport as keyof typeof expected }).text;
      const connect = new RegExp(`connect\\(u1\\) · ${want.connect.replace(/[()]/g, '\\$&')}, (\\d+) B`).exec(text);
      expect(connect, `${transport}: the connect arrow`).not.toBeNull();
      handshake[transport] = Number(connect?.[1]);
      expect(/POST send\(dm:u1:u2/.test(text), `${transport}: a send is a POST`).toBe(want.post);
      expect(/->>gw: t=[\d.]+ ms \(\+[\d.]+\) poll$/m.test(text), `${transport}: polls`).toBe(want.poll);
      expect(o.figures['handshakeBytes']?.value, `${transport}: handshake bytes measured`).toBeGreaterThan(0);
    }
    // The bytes on the arrows are the run's: raw TCP has no HTTP in its connect.
    expect(handshake['tcp']).toBeLessThan(handshake['websocket'] ?? 0);
    expect(handshake['sse']).toBeGreaterThan(handshake['websocket'] ?? 0);
    const table = resolveStep(manifest, 'compare', 42, {}, sharedRuns).table;
    expect(table?.properties.map((p) => p.label)).toEqual(['Direction', 'Runs in a browser', 'What you build']);
  });
});
