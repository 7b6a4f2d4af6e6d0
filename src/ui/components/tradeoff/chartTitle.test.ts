import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TITLE_CHAR_PX, titleLines } from './chartTitle.ts';

const perLineOf = (width: number) => Math.floor(width / TITLE_CHAR_PX);

describe('titleLines', () => {
  it('keeps a short title on one line and breaks a long one between words', () => {
    expect(titleLines('p50 delivery (ms)', 420)).toEqual(['p50 delivery (ms)']);
    expect(titleLines('messages per stored message, every component counted (messages)', 280)).toEqual(['messages per stored message, every', 'component counted (messages)']);
    // A page's measure wins over the estimate.
    expect(titleLines('aa bb cc', 5, 3, (t) => t.length)).toEqual(['aa bb', 'cc']);
  });

  it('cuts a word longer than a line and ends a title with too many lines with an ellipsis', () => {
    expect(titleLines('cpu.ws-server.utilizationMax', 100)).toEqual(['cpu.ws-serve', 'r.utilizatio', 'nMax']);
    const lines = titleLines('a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(4), 80, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
  });

  // Proves no line is wider than the chart (at the estimated advance) and, when nothing was cut
  // short, every word is kept in order.
  it('never makes a line wider than the chart and loses no word when it fits', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9().,-]{1,30}$/), { maxLength: 12 }), fc.integer({ min: 60, max: 600 }), (words, width) => {
        const text = words.join(' ');
        const lines = titleLines(text, width, 50);
        const perLine = perLineOf(width);
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(perLine);
        expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
    );
  });
});
