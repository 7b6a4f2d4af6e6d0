import { expect, test } from 'vitest';
import { clip, formatShortTime, formatSpeed, parseSeed } from './format.ts';

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
  expect(clip('abcdef', 4)).toBe('abc…');
  expect(clip('abc', 4)).toBe('abc');
});
