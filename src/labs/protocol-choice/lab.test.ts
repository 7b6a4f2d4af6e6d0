import { describe, expect, test } from 'vitest';
import { resolveStep, runToEnd } from '../framework/index.ts';
import { describeLab } from '../framework/labTesting.test-helper.ts';
import { manifest } from './manifest.ts';

// The comparison's goal (no HTTP request per message) is reached by choosing a WebSocket.
describeLab(manifest, { reachWith: { compare: { transport: 'websocket' } } });

describe('protocol-choice specifics', () => {
  // Proves the table is measured, not written: the relations the lab's text states hold on the
  // lab's seed, read from the four runs.
  test('the comparison table holds what the text says of each transport', () => {
    const o = resolveStep(manifest, 'compare', 42, {}, runToEnd);
    const v = (id: string): number => o.figures[id]?.value ?? Number.NaN;
    // A WebSocket makes no HTTP request per message; SSE about one (a POST per send); long polling more (polls too).
    expect(v('requests-ws')).toBe(0);
    expect(v('requests-tcp')).toBe(0);
    expect(v('requests-sse')).toBeGreaterThan(0.9);
    expect(v('requests-lp')).toBeGreaterThan(v('requests-sse'));
    // Bytes per stored message: long polling the most, a WebSocket and raw TCP the least.
    expect(v('bytes-lp')).toBeGreaterThan(v('bytes-sse'));
    expect(v('bytes-sse')).toBeGreaterThan(v('bytes-ws'));
    // Raw TCP has no HTTP upgrade: its handshakes cost the fewest bytes.
    expect(v('handshakeBytes-tcp')).toBeLessThan(v('handshakeBytes-ws'));
  });

  // Proves the starting setting does not meet the goal: the student has to choose.
  test('long polling does not meet the comparison step\u2019s goal', () => {
    expect(resolveStep(manifest, 'compare', 42, {}, runToEnd).met).toBe(false);
  });
});
