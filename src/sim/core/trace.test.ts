import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TraceEventType } from '../contract/index.ts';
import { TraceLog, eventLine } from './trace.ts';

/**
 * Records an event outside the vocabulary: the hash and the JSON lines are defined over any plain
 * data, and these tests feed them arbitrary types and shapes on purpose.
 */
function rec(log: TraceLog, at: number, node: string, causeSeq: number | null, type: string, data: Record<string, unknown>): number {
  return log.record(at, node, causeSeq, type as TraceEventType, data as never);
}

const json = fc.jsonValue();

describe('TraceLog', () => {
  test('regression: an event time that differs only in its microseconds changes the hash', () => {
    // Times are whole µs in ms (ADR 0010). The hash once mixed `at` as a 32-bit word, which
    // truncated 10.001 to 10, so two runs differing only below the ms hashed alike. Now the µs
    // remainder is mixed too, and a whole-ms time hashes exactly as before (the pinned hash was
    // computed by the code at 622d528 for the same event at 10 ms).
    const hashAt = (at: number): string => {
      const log = new TraceLog();
      log.record(at, 'ws-1', null, 'ws/connectionOpened', { user: 'u1', connections: 1 });
      return log.hash();
    };
    expect(hashAt(10)).toBe('ae9dc3a0dd3d3d19');
    const hashes = [10, 10.001, 10.002, 10.999, 11, 11.001].map(hashAt);
    expect(new Set(hashes).size).toBe(hashes.length);
    // The same µs reached by different float arithmetic hashes the same.
    expect(hashAt(10.001)).toBe(hashAt(10_001 / 1000));
    expect(hashAt(0.1 + 0.2)).toBe(hashAt(0.3));
  });

  test('the hash changes when any field of any event changes', () => {
    // Property: two logs that differ in one field of one event hash differently.
    fc.assert(
      fc.property(fc.nat(1000), fc.string(), fc.string(), json, fc.constantFrom('at', 'node', 'type', 'data', 'cause'), (at, node, type, data, field) => {
        const a = new TraceLog();
        const b = new TraceLog();
        rec(a, at, node, null, type, { v: data });
        if (field === 'at') rec(b, at + 1, node, null, type, { v: data });
        else if (field === 'node') rec(b, at, node + 'x', null, type, { v: data });
        else if (field === 'type') rec(b, at, node, null, type + 'x', { v: data });
        else if (field === 'cause') rec(b, at, node, 0, type, { v: data });
        else rec(b, at, node, null, type, { v: data, extra: 1 });
        expect(a.hash()).not.toBe(b.hash());
      }),
    );
  });

  test('structurally different data with the same characters hashes differently', () => {
    const h = (data: Record<string, unknown>): string => {
      const log = new TraceLog();
      rec(log, 0, 'n', null, 't', data);
      return log.hash();
    };
    expect(h({ a: 'bc' })).not.toBe(h({ ab: 'c' }));
    expect(h({ a: [1, 2] })).not.toBe(h({ a: [12] }));
    expect(h({ a: '1' })).not.toBe(h({ a: 1 }));
    expect(h({ a: 0.5 })).not.toBe(h({ a: '0.5' }));
    expect(h({ a: null })).not.toBe(h({ a: undefined }));
  });

  test('the hash is pinned for a small fixed trace (any engine must agree)', () => {
    const log = new TraceLog();
    rec(log, 0, 'ws-1', null, 'ws/connectionOpened', { user: 'u1', big: 2 ** 40, frac: 0.1, text: 'héllo <b>"x"</b>' });
    rec(log, 5, 'chat', 0, 'chat/messagePersisted', { seq: 1, ids: [1, 2, 3], nested: { ok: true } });
    expect(log.hash()).toMatchInlineSnapshot(`"d3dbcbe7cc58f2e5"`);
  });

  test('events serialize as JSON lines with a fixed key order', () => {
    const log = new TraceLog();
    rec(log, 3, 'a', null, 'x/happened', { k: 1 });
    expect(log.toJsonLines()).toBe('{"seq":0,"at":3,"node":"a","causeSeq":null,"type":"x/happened","data":{"k":1}}\n');
    expect(eventLine(log.events[0]!)).toBe(log.toJsonLines().trim());
  });

  test('listeners see every event, stored or not, and can unsubscribe', () => {
    const log = new TraceLog({ maxEvents: 1 });
    const seen: number[] = [];
    const off = log.subscribe((e) => seen.push(e.seq));
    rec(log, 0, 'a', null, 't/a', {});
    rec(log, 0, 'a', null, 't/b', {});
    off();
    rec(log, 0, 'a', null, 't/c', {});
    expect(seen).toEqual([0, 1]);
    expect(log.events).toHaveLength(1);
    expect(log.truncated).toBe(true);
    expect(log.count).toBe(3);
  });

  test('functions in trace data are refused: the trace must stay plain data', () => {
    const log = new TraceLog();
    expect(() => rec(log, 0, 'a', null, 't/x', { f: () => 1 })).toThrow(/plain data, got a function/);
  });
});
