/**
 * A chart's title broken into lines that fit its width, so a long figure name does not run over
 * the chart beside it. SVG text does not wrap: the page measures each candidate line in the
 * title's font (`measureTitle`); without a canvas a character is taken as 8 px, wider than the
 * 12 px semibold sans's average, which errs on the side of an extra line.
 */

/** How wide a piece of text is, in px. */
export type TextWidth = (text: string) => number;

/** Advance of one character when the text cannot be measured, in px. */
export const TITLE_CHAR_PX = 8;

/** The estimate used where nothing can measure text. */
export const estimatedWidth: TextWidth = (text) => text.length * TITLE_CHAR_PX;

/**
 * The lines of `text` for a chart `widthPx` wide: words kept whole where they fit, a word longer
 * than a line cut, at most `maxLines` lines (the last one ends with "…" when text was left out).
 *
 * @example
 * titleLines('p99 delivery, sender to every member (ms)', 200); // ['p99 delivery, sender to', 'every member (ms)']
 */
export function titleLines(text: string, widthPx: number, maxLines = 3, widthOf: TextWidth = estimatedWidth): string[] {
  const fits = (s: string) => widthOf(s) <= widthPx;
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter((w) => w !== '');
  for (let word of words) {
    while (!fits(word)) {
      // The longest head of the word that fits (at least one character, so it always ends).
      let n = word.length - 1;
      while (n > 1 && !fits(word.slice(0, n))) n--;
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, n));
      word = word.slice(n);
    }
    const next = line === '' ? word : `${line} ${word}`;
    if (fits(next)) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = `${kept[maxLines - 1] ?? ''}…`;
  while (last.length > 1 && !fits(last)) last = `${last.slice(0, -2)}…`;
  kept[maxLines - 1] = last;
  return kept;
}

let canvas: CanvasRenderingContext2D | null | undefined;

/**
 * Measures text in the chart title's font (its CSS: 600 12px, the page's family), or estimates
 * where the page has no canvas.
 */
export function measureTitle(text: string): number {
  if (canvas === undefined) {
    try {
      canvas = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
      if (canvas !== null) canvas.font = `600 12px ${getComputedStyle(document.body).fontFamily}`;
    } catch {
      canvas = null;
    }
  }
  return canvas === null ? estimatedWidth(text) : canvas.measureText(text).width;
}
