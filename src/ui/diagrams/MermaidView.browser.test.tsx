import { expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import type { SeqStatement, SequenceDiagramAst } from '../../diagrams/index.ts';
import { printSequenceDiagram, wrapMermaidLabels } from '../../diagrams/index.ts';
import { MermaidView } from './MermaidView.tsx';

/** Texts full of what Mermaid interprets: entity-dense words, markup, directives, colons, line breaks. */
const NASTY = [
  'He said "hi; 50% & <b>bold</b>" #1 {x}: a|b',
  ';;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;; ";";";";";";"',
  '%%{init: {"theme": "dark"}}%% <script>alert(1)</script> & &amp; #35; $$x^2$$ `tick`',
  'line one\nline two: {a|b} <c> "d"\n\n   third   line   with   a   rather   long   tail   of   words   ',
  'style a:b; classDef c:d#e; wrap: nowrap: end',
  '100% <> >= <= && || ## ;; :: {} || "" %%',
];

/** What a text reads as on screen: its lines, whitespace collapsed, blank lines dropped. */
const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');

/**
 * Groups drawn lines back into the text's own lines: each text line must be one or more drawn
 * lines joined by single spaces (the only place a label may wrap).
 */
function regroup(drawn: readonly string[], want: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (const line of want) {
    let acc = drawn[i++] ?? '';
    while (acc.length < line.length && i < drawn.length) acc += ` ${drawn[i++]}`;
    out.push(acc);
  }
  return i === drawn.length ? out : [...drawn];
}

/** The labels of the rendered arrows, in order, each as its drawn lines. */
function arrowLabels(svg: SVGSVGElement): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const el of svg.querySelectorAll('text.messageText, line[class^="messageLine"]')) {
    if (el.tagName.toLowerCase() === 'line') {
      groups.push(current);
      current = [];
    } else current.push(el.textContent ?? '');
  }
  return groups;
}

// Proves the promise of issue item 1 in a real browser: every nasty text, printed by the one
// printer, wrapped by wrapMermaidLabels and drawn by Mermaid 11 as the workbench draws it, reads
// back from the SVG exactly as written (arrow labels, notes and participant names), with the
// text's own line breaks as drawn lines and other breaks only where a space was.
test('Mermaid draws every label exactly as written', async () => {
  const statements: SeqStatement[] = NASTY.flatMap((text): SeqStatement[] => [
    { kind: 'message', from: 'A', to: 'B', arrow: 'solid', text },
    { kind: 'note', placement: 'over', participants: ['B'], text },
  ]);
  const ast: SequenceDiagramAst = {
    kind: 'sequenceDiagram',
    participants: [
      { id: 'A', label: 'Client "A"; 50% & <u1>' },
      { id: 'B', label: 'B #1: {x}|y' },
    ],
    statements,
  };
  const text = wrapMermaidLabels(printSequenceDiagram(ast));
  const screen = await render(<MermaidView text={text} theme="light" fit={false} label="probe" />);
  await expect.poll(() => screen.container.querySelector('[data-testid=mermaid] svg'), { timeout: 20_000 }).not.toBeNull();
  const svg = screen.container.querySelector('[data-testid=mermaid] svg') as SVGSVGElement;

  const arrows = arrowLabels(svg);
  expect(arrows).toHaveLength(NASTY.length);
  arrows.forEach((drawn, i) => expect(regroup(drawn, linesOf(NASTY[i] as string))).toEqual(linesOf(NASTY[i] as string)));

  const notes = [...svg.querySelectorAll('[data-et="note"]')].map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent ?? ''));
  expect(notes).toHaveLength(NASTY.length);
  notes.forEach((drawn, i) => expect(regroup(drawn, linesOf(NASTY[i] as string))).toEqual(linesOf(NASTY[i] as string)));

  const names = [...svg.querySelectorAll('[data-et="participant"]')].map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent ?? '').join(' '));
  expect(names.sort()).toEqual(['B #1: {x}|y', 'Client "A"; 50% & <u1>']);
  // Nothing the person wrote became markup.
  expect(svg.querySelector('b, script, u1, c')).toBeNull();
});
