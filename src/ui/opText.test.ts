import { expect, test } from 'vitest';
import { formatShortTime, formatSpeed, parseSeed } from './format.ts';
import { clip, describeOp, isFault } from './opText.ts';

// Proves every kind of verb reads as a short sentence and is classed as fault or repair.
test('verbs read in the lab’s words', () => {
  expect(describeOp({ verb: 'crash', node: 'ws-2' })).toBe('crash ws-2');
  expect(describeOp({ verb: 'partition', a: ['ws-1'], b: ['broker'], oneWay: true })).toBe('partition ws-1 → broker');
  expect(describeOp({ verb: 'heal' })).toBe('heal every partition');
  expect(describeOp({ verb: 'drop', from: 'gw', to: 'ws-1', ratio: { num: 1, den: 2 }, twoWay: true })).toBe('drop 50% on gw ↔ ws-1');
  expect(describeOp({ verb: 'slow', node: 'db', factor: 1 })).toBe('db back to normal speed');
  expect(describeOp({ verb: 'inject', node: 'c-u1', msg: { type: 'userSend', channel: 'g1', text: 'hi' } })).toBe('u1 sends “hi” in g1');
  expect(isFault({ verb: 'crash', node: 'ws-2' })).toBe(true);
  expect(isFault({ verb: 'restart', node: 'ws-2' })).toBe(false);
  expect(isFault({ verb: 'delay', from: 'a', to: 'b', extraMs: 0 })).toBe(false);
  expect(clip('abcdef', 4)).toBe('abc…');
});

// Proves the formatting helpers: speeds, short times, seeds.
test('formats', () => {
  expect(formatSpeed(0.01)).toBe('0.01×');
  expect(formatSpeed(20)).toBe('20×');
  expect(formatShortTime(65_000)).toBe('65 s');
  expect(formatShortTime(1_234)).toBe('1.234 s');
  expect(formatShortTime(800)).toBe('800 ms');
  expect(parseSeed('4294967295')).toBe(4294967295);
  expect(parseSeed('4294967296')).toBeNull();
  expect(parseSeed('12a')).toBeNull();
});
