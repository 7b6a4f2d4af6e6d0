/**
 * Reading a trace file back: a real run's JSON lines read to the same events; every kind of
 * damage is refused with one sentence naming the line; random damage never throws.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseScenario, presetById, runScenario } from '../sim/index.ts';
import { readTraceJsonl } from './traceFile.ts';

function runJsonl(id: string, seed: number, untilMs: number): string {
  const parsed = parseScenario(presetById(id)?.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return runScenario(parsed.scenario, { seed, untilMs }).trace.toJsonLines();
}

const GOOD = runJsonl('private-chat', 3, 1_000);
const LINES = GOOD.split('\n').slice(0, -1);

/** The file with line `n` (1-based) replaced. */
function withLine(n: number, line: string): string {
  return [...LINES.slice(0, n - 1), line, ...LINES.slice(n)].join('\n') + '\n';
}

describe('readTraceJsonl', () => {
  // Proves a CLI trace reads back to the same events, and writing them again gives the same bytes.
  test('a real trace reads back to its events', () => {
    const read = readTraceJsonl(GOOD);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.events).toHaveLength(LINES.length);
    expect(read.events.map((e) => JSON.stringify(e)).join('\n') + '\n').toBe(GOOD);
    expect(readTraceJsonl(GOOD.replaceAll('\n', '\r\n')).ok).toBe(true);
    expect(readTraceJsonl(GOOD.slice(0, -1)).ok).toBe(true);
  });

  // Proves each kind of damage is named with its line and what is wrong.
  test.each([
    ['not JSON', withLine(3, '{"seq":2,'), /^line 3: not JSON/],
    ['an array', withLine(2, '[1,2]'), /^line 2: not a JSON object/],
    ['a missing field', withLine(2, '{"seq":1,"at":0,"node":"ws-1","causeSeq":null,"type":"node/started"}'), /^line 2: the field "data" is missing/],
    ['an extra field', withLine(2, '{"seq":1,"at":0,"node":"ws-1","causeSeq":null,"type":"node/started","data":{"kind":"x","restart":false},"x":1}'), /^line 2: the field "x" is not part/],
    ['a gap in seq', withLine(2, LINES[1]?.replace('"seq":1', '"seq":7') ?? ''), /^line 2: seq is 7 where 1 was expected/],
    ['time going back', withLine(12, (LINES[11] ?? '').replace(/"at":[\d.]+/, '"at":1')), /^line 12: at is 1, earlier than/],
    ['sub-µs time', withLine(12, (LINES[11] ?? '').replace(/"at":[\d.]+/, '"at":500.0001')), /^line 12: at is 500.0001, finer than/],
    ['a cause from the future', withLine(2, '{"seq":1,"at":0,"node":"ws-1","causeSeq":5,"type":"node/started","data":{"kind":"x","restart":false}}'), /^line 2: causeSeq is 5/],
    ['an unknown type', withLine(2, '{"seq":1,"at":0,"node":"ws-1","causeSeq":null,"type":"node/exploded","data":{}}'), /^line 2: unknown event type "node\/exploded"/],
    ['a field outside the vocabulary', withLine(2, '{"seq":1,"at":0,"node":"ws-1","causeSeq":null,"type":"node/started","data":{"kind":"x","restart":false,"extra":1}}'), /^line 2: node\/started: the field "extra" is not in the vocabulary/],
    ['a blank line', withLine(4, '   '), /^line 4: blank line/],
    ['an empty node', withLine(2, '{"seq":1,"at":0,"node":"","causeSeq":null,"type":"node/started","data":{"kind":"x","restart":false}}'), /^line 2: node is ""/],
    ['nothing', '', /^the file is empty/],
  ])('%s is refused with its line', (_name, text, message) => {
    const read = readTraceJsonl(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(message);
  });

  // Proves random damage (bytes cut, lines swapped, characters changed) never throws and, when
  // refused, names a line.
  test('random damage never throws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: GOOD.length - 1 }), fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 8 }), (at, cut, insert) => {
        const damaged = GOOD.slice(0, at) + insert + GOOD.slice(at + cut);
        const read = readTraceJsonl(damaged);
        if (!read.ok) expect(read.error).toMatch(/^(line \d+: |the file is empty)/);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
