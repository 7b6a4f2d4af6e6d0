import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { SequenceDiagramAst } from './ast.ts';
import { escapeMermaidText, printSequenceDiagram, safeMermaidId, truncateText, uniqueMermaidIds, wrapMermaidLabels } from './print.ts';
import { decodeMermaidText, loadMermaid, parseError } from './testkit.test-helper.ts';

/**
 * The lines a text should read as once rendered: split at line breaks, each line with control
 * characters as spaces and whitespace collapsed, blank lines dropped, cut with `…`.
 */
function expectedLines(raw: string, max: number): string[] {
  const lines = raw.split(/\r\n|[\n\r\u2028\u2029]/).map((part) => {
    let line = '';
    for (const ch of part) {
      const c = ch.codePointAt(0) ?? 0;
      line += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? ' ' : c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : ch;
    }
    return line.replace(/\s+/g, ' ').trim();
  });
  const text = lines.filter((l) => l !== '').join('\n');
  const chars = Array.from(text);
  return (chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`).split('\n').filter((l, i, all) => l !== '' || all.length === 1);
}

/**
 * Groups the printed lines (split at `<br>`) back into the text's own lines: each text line must be
 * one or more consecutive printed lines joined by single spaces (a wrap at a space). Returns the
 * regrouped lines, or the printed lines as they are when they cannot be grouped so.
 */
function regroup(printed: readonly string[], want: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (const line of want) {
    let acc = printed[i++] ?? '';
    while (acc.length < line.length && i < printed.length) acc += ` ${printed[i++]}`;
    out.push(acc);
  }
  return i === printed.length ? out : [...printed];
}

/** Strings full of what breaks Mermaid, mixed with arbitrary code points (lone surrogates too). */
const nastyText = fc
  .array(
    fc.oneof(
      fc.constantFrom('#', ';', '%%', '%%{init: {}}%%', '->>', '-x', '<b>', '</b>', '<br>', '&', '&amp;', '"', "'", '`', ':', 'wrap:', 'nowrap:', 'end', '\n', '\r\n', '\t', '#35;', '#quot;', '\uFB02\u00B0\u00B0', '\u00B6\u00DF', '{', '}', '\\', ' ', '😀', '\u2028', '\u0000'),
      fc.string({ unit: 'binary', maxLength: 12 }),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

function diagramWith(text: string): SequenceDiagramAst {
  return {
    kind: 'sequenceDiagram',
    participants: [
      { id: 'A', label: text },
      { id: 'B', label: 'B' },
    ],
    statements: [
      { kind: 'message', from: 'A', to: 'B', arrow: 'solid', text },
      { kind: 'note', placement: 'over', participants: ['A', 'B'], text },
      { kind: 'loop', label: text, body: [{ kind: 'message', from: 'B', to: 'A', arrow: 'dashed', text }] },
      { kind: 'comment', text },
    ],
  };
}

describe('escapeMermaidText', () => {
  // Proves each character Mermaid would interpret is replaced by its entity code, and nothing else changes.
  test('replaces the dangerous characters with entity codes', () => {
    expect(escapeMermaidText('Look: <b>bold</b> & "quotes"; A->>B: not an arrow #1 %% $$x$$')).toBe(
      'Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;quotes#quot;#59; A-#gt;#gt;B: not an arrow #35;1 #37;#37; #36;#36;x#36;#36;',
    );
    expect(escapeMermaidText('a`b ﬂ¶ ü 😀')).toBe('a#96;b #64258;#182; ü 😀');
  });

  // Proves a newline becomes a drawn line break (never a new statement), blank lines go, and a
  // leading wrap: is not read as a directive.
  test('turns line breaks into <br> and defuses wrap directives', () => {
    expect(escapeMermaidText('line one\nline two\r\n\n\tend')).toBe('line one<br>line two<br>end');
    expect(escapeMermaidText('wrap: hi')).toBe('wrap#58; hi');
    expect(escapeMermaidText('NoWrap:x')).toBe('NoWrap#58;x');
    expect(escapeMermaidText(' :wrap: x')).toBe(':wrap#58; x');
  });

  // Proves long text is cut with an ellipsis before escaping, so an entity code is never split.
  test('truncates by code points with an ellipsis', () => {
    expect(truncateText('Hello, world', 6)).toBe('Hello…');
    expect(escapeMermaidText('###########', 4)).toBe('#35;#35;#35;…');
    expect(truncateText('😀😀😀', 2)).toBe('😀…');
  });
});

describe('participant ids', () => {
  // Proves ids become identifiers the lexer cannot confuse with keywords, arrows or numbers.
  test('are safe identifiers', () => {
    expect(safeMermaidId('c-u1')).toBe('c_u1');
    expect(safeMermaidId('end')).toBe('p_end');
    expect(safeMermaidId('Note')).toBe('p_Note');
    expect(safeMermaidId('1st')).toBe('p_1st');
    expect(safeMermaidId('')).toBe('p_');
    expect([...uniqueMermaidIds(['ws-1', 'ws_1', 'ws-1']).values()]).toEqual(['ws_1', 'ws_1_2']);
  });

  // Proves any set of raw ids prints to a diagram Mermaid accepts, one lifeline per distinct id.
  test('any raw ids parse as distinct participants', async () => {
    const mermaid = await loadMermaid();
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 8 }), { minLength: 1, maxLength: 5 }), async (ids) => {
        const ast: SequenceDiagramAst = {
          kind: 'sequenceDiagram',
          participants: ids.map((id) => ({ id, label: id })),
          statements: ids.map((id, i) => ({ kind: 'message', from: id, to: ids[(i + 1) % ids.length] as string, arrow: 'async', text: 'x' })),
        };
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(printSequenceDiagram(ast));
        expect(diagram.db.getActors().size).toBe(ids.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('printSequenceDiagram', () => {
  // Proves every statement kind prints in Mermaid's syntax and the result parses.
  test('prints every statement kind', async () => {
    const ast: SequenceDiagramAst = {
      kind: 'sequenceDiagram',
      autonumber: true,
      participants: [
        { id: 'ClientA', label: 'Client A (u1)', shape: 'actor' },
        { id: 'end', label: 'API Gateway' },
        { id: 'DB', label: '' },
      ],
      statements: [
        { kind: 'comment', text: 'first\nsecond %%{init}%%' },
        { kind: 'message', from: 'ClientA', to: 'end', arrow: 'solid', text: 'send("Hi")', activation: 'activate' },
        { kind: 'activate', participant: 'DB' },
        { kind: 'rect', color: { r: 300, g: 10.4, b: -3, a: 0.5 }, body: [{ kind: 'message', from: 'end', to: 'DB', arrow: 'async', text: 'publish' }] },
        { kind: 'deactivate', participant: 'DB' },
        { kind: 'loop', label: 'every 5 s', body: [{ kind: 'note', placement: 'right of', participants: ['DB'], text: 'stored' }] },
        { kind: 'message', from: 'end', to: 'ClientA', arrow: 'dashed', text: 'ack', activation: 'deactivate' },
        { kind: 'message', from: 'end', to: 'Ghost', arrow: 'cross', text: 'lost' },
        { kind: 'note', placement: 'over', participants: ['ClientA', 'DB'], text: '' },
      ],
    };
    const text = printSequenceDiagram(ast);
    expect(text).toMatchInlineSnapshot(`
      "sequenceDiagram
          autonumber
          actor ClientA as Client A (u1)
          participant p_end as API Gateway
          participant DB
          participant Ghost
          %% first second #37;#37;{init}#37;#37;
          ClientA->>+p_end: send(#quot;Hi#quot;)
          activate DB
          rect rgba(255, 10, 0, 0.5)
              p_end-)DB: publish
          end
          deactivate DB
          loop every 5 s
              Note right of DB: stored
          end
          p_end-->>-ClientA: ack
          p_end-xGhost: lost
          Note over ClientA,DB: 
      "
    `);
    expect(await parseError(text)).toBeNull();
  });

  // Proves a title is printed escaped (Mermaid needs a DOM to parse titles, so this checks text only).
  test('prints an escaped title', () => {
    const text = printSequenceDiagram({ kind: 'sequenceDiagram', title: 'A; B #1', participants: [], statements: [] });
    expect(text).toBe('sequenceDiagram\n    title A#59; B #35;1\n');
  });

  // Proves the central promise: any string as message, note, label or loop text prints to a diagram
  // Mermaid accepts, and Mermaid reads back exactly the (normalized, cut) text, its lines wrapped
  // only at spaces, so nothing is lost to a comment, a statement break, a directive or a wrap.
  test('any text parses and reads back unchanged', async () => {
    const mermaid = await loadMermaid();
    const max = 160;
    await fc.assert(
      fc.asyncProperty(nastyText, async (raw) => {
        const text = printSequenceDiagram(diagramWith(raw));
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
        const want = expectedLines(raw, max);
        // Split at the printer's breaks before decoding: a `<br>` the person typed is escaped, so it stays text.
        const read = (printed: string): string[] => regroup(printed.split('<br>').map(decodeMermaidText), want);
        // Messages: the arrow, the note, the loop start, the arrow inside, the loop end.
        const texts = diagram.db.getMessages().map((m) => read(m.message));
        expect(texts.slice(0, 4)).toEqual([want, want, want, want]);
        const label = read(diagram.db.getActors().get('A')?.description ?? '');
        expect(label).toEqual(want.join('') === '' ? ['A'] : want);
      }),
      { numRuns: 300 },
    );
  });

  // Proves a line Mermaid's entity pre-pass would cut a `;` from (it means `style` statements)
  // gets its colons escaped, and Mermaid reads the text back whole.
  test('defuses the style pre-pass', async () => {
    const mermaid = await loadMermaid();
    const text = printSequenceDiagram({
      kind: 'sequenceDiagram',
      participants: [{ id: 'A', label: 'A' }, { id: 'B', label: 'B' }],
      statements: [{ kind: 'message', from: 'A', to: 'B', arrow: 'solid', text: 'style a:b; "c"' }],
    });
    expect(text).toContain('A->>B: style a#58;b#59; #quot;c#quot;');
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    expect(decodeMermaidText(diagram.db.getMessages()[0]?.message ?? '')).toBe('style a:b; "c"');
  });
});

describe('wrapMermaidLabels', () => {
  const diagram = (text: string): string =>
    printSequenceDiagram({
      kind: 'sequenceDiagram',
      participants: ['A', 'B', 'C', 'D'].map((id) => ({ id, label: id })),
      statements: [
        { kind: 'message', from: 'A', to: 'B', arrow: 'solid', text },
        { kind: 'message', from: 'A', to: 'D', arrow: 'dashed', text },
        { kind: 'note', placement: 'over', participants: ['B'], text },
        { kind: 'note', placement: 'over', participants: ['A', 'C'], text },
      ],
    });
  const labelLines = (text: string): number[] =>
    text
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) => l.split('<br>').length);

  // Proves a label gets room for every lifeline gap its arrow or note spans: the same text wraps
  // into more lines between neighbours than across the diagram.
  test('wraps each label to the gaps it spans', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    expect(labelLines(wrapMermaidLabels(diagram(text), 20))).toEqual([4, 2, 4, 2]);
    expect(wrapMermaidLabels(diagram(text), 0)).toBe(diagram(text));
  });

  // Proves lines break at spaces only, measuring an entity code as Mermaid does (by its
  // placeholder, `ﬂ°°59¶ß`, seven characters), so no entity code is ever split, a quote-heavy label
  // does not widen the layout, and a word longer than a line stays whole.
  test('never splits an entity code or a word', () => {
    expect(wrapMermaidLabels(diagram('x; y; z; w'), 17)).toContain('A->>B: x#59; y#59;<br>z#59; w\n');
    expect(wrapMermaidLabels(diagram('x; y; z; w'), 16)).toContain('A->>B: x#59;<br>y#59;<br>z#59; w\n');
    expect(wrapMermaidLabels(diagram('an unbreakable-word-here ok'), 9)).toContain('A->>B: an<br>unbreakable-word-here<br>ok\n');
  });

  // Proves the central promise: any string, printed and wrapped, parses, and Mermaid reads back
  // exactly the (normalized, cut) text, its lines broken only where spaces were.
  test('any text wraps and reads back unchanged', async () => {
    const mermaid = await loadMermaid();
    await fc.assert(
      fc.asyncProperty(nastyText, fc.integer({ min: 1, max: 30 }), async (raw, width) => {
        const text = wrapMermaidLabels(printSequenceDiagram(diagramWith(raw)), width);
        const parsed = await mermaid.mermaidAPI.getDiagramFromText(text);
        const want = expectedLines(raw, 160);
        const read = (printed: string): string[] => regroup(printed.split('<br>').map(decodeMermaidText), want);
        expect(parsed.db.getMessages().slice(0, 4).map((m) => read(m.message))).toEqual([want, want, want, want]);
        expect(read(parsed.db.getActors().get('A')?.description ?? '')).toEqual(want.join('') === '' ? ['A'] : want);
      }),
      { numRuns: 200 },
    );
  });
});
