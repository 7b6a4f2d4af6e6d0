/**
 * Narration with figures in it: the lab's text holds `{figureId}` placeholders and the step's
 * figures fill them, so every number the student reads is a measured one that links to its run.
 */
import type { Figure } from './figures.ts';

/** A piece of narration: text, or a figure to print (and link). */
export type Segment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'figure'; readonly figure: Figure };

const PLACEHOLDER = /\{([A-Za-z][\w-]*)\}/g;

/** The figure ids a narration text names, in order. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * Splits a narration into text and figures. A placeholder without a figure is an error that names
 * it (a lab's test catches it before a student could).
 *
 * @example
 * fillNarration('It took {p50}.', { p50: figure }); // [{ kind: 'text', text: 'It took ' }, { kind: 'figure', figure }, { kind: 'text', text: '.' }]
 */
export function fillNarration(text: string, figures: Readonly<Record<string, Figure>>, where = 'narration'): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const id = m[1] ?? '';
    const figure = figures[id];
    if (figure === undefined) throw new Error(`${where}: the placeholder {${id}} names no figure; figures are ${Object.keys(figures).join(', ') || 'none'}`);
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'figure', figure });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
