import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseError } from '../mermaid/testkit.test-helper.ts';
import { STUDENT_ARROWS, parseSequence } from './parse.ts';
import { previewSource } from './preview.ts';

describe('parseSequence', () => {
  // Every arrow Mermaid 11 draws in a sequence diagram is read as itself, and Mermaid accepts the text too.
  test('reads every arrow kind', async () => {
    const text = ['sequenceDiagram', ...STUDENT_ARROWS.map((a, i) => `  A${a}B: arrow ${i}`)].join('\n');
    const parsed = parseSequence(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.messages.map((m) => [m.from, m.arrow, m.to, m.text])).toEqual(STUDENT_ARROWS.map((a, i) => ['A', a, 'B', `arrow ${i}`]));
    expect(await parseError(text)).toBeNull();
  });

  // Participants, actors, `as` labels (quoted or not), activations, notes, autonumber and blocks, with lines.
  test('reads participants, activations, notes and blocks, keeping block contents in order', () => {
    const parsed = parseSequence(
      [
        '%% a comment',
        'sequenceDiagram',
        '  autonumber',
        '  actor A as "User A"',
        '  participant WSA as WebSocket Server (A\'s connection)',
        '  A->>+WSA: send',
        '  loop every member',
        '    alt online',
        '      WSA-->>-A: ack',
        '    else offline',
        '      Note over A,WSA: queued',
        '    end',
        '  end',
        '  par one',
        '    WSA-)Chat: submit',
        '  and two',
        '    Note right of Chat: x',
        '  end',
        '  rect rgb(1, 2, 3)',
        '    critical c',
        '      Chat--xWSA: lost',
        '    option o',
        '    end',
        '  end',
        '  activate Chat',
        '  deactivate Chat',
      ].join('\n'),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.autonumber).toBe(true);
    expect(parsed.participants.map((p) => [p.id, p.label, p.shape, p.line, p.declared])).toEqual([
      ['A', 'User A', 'actor', 4, true],
      ['WSA', "WebSocket Server (A's connection)", 'participant', 5, true],
      ['Chat', 'Chat', 'participant', 15, false],
    ]);
    expect(parsed.messages.map((m) => [m.line, m.from, m.to, m.activation, m.depth])).toEqual([
      [6, 'A', 'WSA', 'activate', 0],
      [9, 'WSA', 'A', 'deactivate', 2],
      [15, 'WSA', 'Chat', null, 1],
      [21, 'Chat', 'WSA', null, 2],
    ]);
    expect(parsed.notes.map((n) => [n.placement, n.participants, n.text])).toEqual([
      ['over', ['A', 'WSA'], 'queued'],
      ['right of', ['Chat'], 'x'],
    ]);
  });

  // Names with spaces and apostrophes work as Mermaid reads them, undeclared ones included.
  test('reads names with spaces and possessives', () => {
    const parsed = parseSequence("sequenceDiagram\n  A's server->>B's server: direct\n");
    expect(parsed.messages[0]).toMatchObject({ from: "A's server", to: "B's server", text: 'direct', line: 2, column: 3 });
  });

  // Each kind of mistake is reported at its line and column, with a message that names the problem.
  test.each([
    ['graph TD\n  A-->B', 1, 1, /starts with "sequenceDiagram"/],
    ['', 1, 1, /empty/],
    ['sequenceDiagram\n  A=>B: hi', 2, 3, /cannot read this line/],
    ['sequenceDiagram\n  A->>: hi', 2, 7, /no receiver/],
    ['sequenceDiagram\n  ->>B: hi', 2, 3, /no sender/],
    ['sequenceDiagram\n  A->>B hi', 2, 11, /needs ":"/],
    ['sequenceDiagram\n  end', 2, 3, /without a block/],
    ['sequenceDiagram\n  loop x\n    A->>B: y', 2, 3, /never closed/],
    ['sequenceDiagram\n  else x', 2, 3, /inside "alt"/],
    ['sequenceDiagram\n  Note A: x', 2, 8, /a note reads/],
    ['sequenceDiagram\n  Note left of A,B: x', 2, 8, /one participant/],
    ['sequenceDiagram\n  participant A\n  participant A', 3, 15, /declared twice/],
    ['sequenceDiagram\n  participant A:B', 2, 15, /needs a name/],
    ['sequenceDiagram\n  A->>B->>C: x', 2, 4, /one arrow per line/],
  ])('reports %j at line %i, column %i', (text, line, column, message) => {
    const { errors } = parseSequence(text);
    expect(errors[0]).toMatchObject({ line, column });
    expect(errors[0]?.message).toMatch(message);
  });

  // Whatever the text, the reader returns a result and never throws; positions stay inside the text.
  test('never throws, on any string', () => {
    const alphabet = fc.constantFrom('sequenceDiagram\n', 'participant ', 'actor ', ' as ', 'A', 'B', ' ', '\n', ':', '->>', '-->>', '-x', '--x', '-)', '->', '+', '-', 'loop ', 'alt ', 'else', 'end', 'Note over ', ',', '%%', '"', '<', '>', '#', ';', '\r\n', 'é', '\u0000');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.array(alphabet, { maxLength: 80 }).map((xs) => xs.join(''))), (text) => {
        const parsed = parseSequence(text);
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const e of parsed.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(Math.max(1, lines));
          expect(e.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500, seed: 20 },
    );
    // Not a string at all (a paste gone wrong in untyped code): still an answer.
    expect(parseSequence(undefined as unknown as string).errors.length).toBeGreaterThan(0);
  });

  // A huge paste is cut at the limit, with an error saying so, instead of freezing the page.
  test('caps the text it reads', () => {
    const parsed = parseSequence('sequenceDiagram\n' + 'A->>B: x\n'.repeat(10_000));
    expect(parsed.errors[0]?.message).toMatch(/longer than/);
    expect(parsed.messages.length).toBeLessThan(10_000);
  });
});

describe('previewSource', () => {
  // Labels full of HTML become Mermaid entity codes (text), arrows and names stay as written, directives go, and Mermaid still accepts it.
  test('labels are text, the diagram is the student’s', async () => {
    const text = [
      '%%{init: {"securityLevel": "loose"}}%%',
      'sequenceDiagram',
      '  participant A as "<img src=x onerror=alert(1)> & Co"',
      '  participant B as <b>Bob</b>',
      '  A->>B: <script>alert(1)</script> "quoted" #59; %% {{x}}',
      '  Note over A,B: a < b > c',
      '  %% a comment with <tags>',
    ].join('\n');
    const out = previewSource(text);
    expect(out).toBe(
      [
        'sequenceDiagram',
        '  participant A as "#lt;img src=x onerror=alert(1)#gt; #amp; Co"',
        '  participant B as #lt;b#gt;Bob#lt;/b#gt;',
        '  A->>B: #lt;script#gt;alert(1)#lt;/script#gt; #quot;quoted#quot; #59; %% {{x}}',
        '  Note over A,B: a #lt; b #gt; c',
        '  %% a comment with <tags>',
      ].join('\n'),
    );
    expect(await parseError(out)).toBeNull();
    expect(parseSequence(out).messages.map((m) => [m.from, m.to])).toEqual([['A', 'B']]);
  });
});
