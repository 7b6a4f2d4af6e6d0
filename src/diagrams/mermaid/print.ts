/**
 * The one printer from the sequence-diagram AST to Mermaid text, and the escaping it relies on.
 *
 * Why escaping is needed, from Mermaid 11's sequence grammar: message, note, label and loop text
 * runs to the end of the line but stops at `#` (which starts a comment) and `;` (which ends a
 * statement), a leading `wrap:` or `nowrap:` is read as a directive, the renderer treats `<…>` as
 * HTML and `$$…$$` as KaTeX. Mermaid's own escape is the entity code `#name;` or `#decimal;`
 * (documented as "entity codes to escape characters"; `#quot;` and `#9829;` are its examples):
 * before parsing it swaps every `#\w+;` for a placeholder (`ﬂ°°35¶ß`), so an escaped text contains
 * no `#` or `;` the lexer could see, and once the SVG is drawn it turns the placeholders back into
 * `&#35;` in the markup. That pre-pass also deletes the last `;` of any line matching
 * `style.*:\S*#.*;` or `classDef.*:\S*#.*;` (meant for style statements, it also hits a message such
 * as `style a:b;`): on such a line the printer escapes `:` as well.
 *
 * Why labels are wrapped here and not by Mermaid: Mermaid's `wrap` option breaks labels while they
 * still hold the placeholders, so a break can land inside one (`ﬂ°quo-` / `t¶ß`) and the reader sees
 * `&quo- t;` instead of `"`; it also measures a placeholder as seven characters wide.
 * {@link wrapMermaidLabels} breaks long labels at spaces into lines joined by `<br>` (Mermaid
 * splits on `<br>` itself and never re-wraps a label that has one), an entity code is never split,
 * and the renderer runs with `wrap: false`. A text's own line breaks become `<br>` too, so a
 * message typed on two lines is drawn on two lines.
 */
import type { SeqNote, SeqParticipant, SeqStatement, SequenceDiagramAst } from './ast.ts';

/** Options for {@link printSequenceDiagram}. */
export interface PrintOptions {
  /** One level of indentation. Default four spaces. */
  readonly indent?: string;
  /**
   * Hard cap on any single text (labels, notes, participant names), in characters, after which it
   * is cut and ends with `…`. Builders cut chat text much shorter themselves. Default 160.
   */
  readonly maxTextLength?: number;
  /**
   * Wrap long labels with {@link wrapMermaidLabels} at this many characters per lifeline gap. Default
   * 0: no wrapping, every label on the lines its text has (what the builders print, so their text
   * reads whole); a renderer that draws the diagram wraps it first.
   */
  readonly wrapChars?: number;
}

/** Characters replaced by entity codes, with their codes. */
const ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '"': '#quot;',
  '%': '#37;',
  '`': '#96;',
  '$': '#36;',
  ':': '#58;',
  // The two characters Mermaid uses in its entity placeholders: escaping them means a chat message
  // can never forge a placeholder that would decode into markup.
  '\uFB02': '#64258;',
  '\u00B6': '#182;',
};

const ESCAPED = /[#;&<>"%`$\uFB02\u00B6]/g;
const ESCAPED_WITH_COLON = /[#;&<>"%`$:\uFB02\u00B6]/g;

/**
 * One line of well-formed text: line breaks, tabs and other control characters become spaces
 * (a newline would end the statement), and a lone surrogate half becomes U+FFFD. A loop over code
 * points rather than a regex, because a regex over control characters is what linters flag as a
 * likely mistake, and here it is the point.
 */
function oneLine(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) out += ' ';
    else if (c >= 0xd800 && c <= 0xdfff) out += '\uFFFD';
    else out += ch;
  }
  return out;
}

/** Line breaks a person can type or paste: CR LF, LF, CR, and the Unicode line and paragraph separators. */
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029]/;

/**
 * The lines of a text as they will be shown: split at line breaks, each line on its own with
 * control characters as spaces and whitespace runs collapsed, blank lines dropped.
 */
function textLines(text: string): string[] {
  return text
    .split(LINE_BREAKS)
    .map((line) => oneLine(line).replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

/** Every character Mermaid would interpret replaced by its entity code; `:` too when asked. */
function escapeChars(text: string, colons = false): string {
  return text.replace(colons ? ESCAPED_WITH_COLON : ESCAPED, (ch) => ENTITIES[ch] ?? ch);
}

/** Mermaid's entity pre-pass cuts the last `;` of a line matching one of these (see the top). */
const STYLE_PREPASS: readonly RegExp[] = [/style.*:\S*#.*;/, /classDef.*:\S*#.*;/];

/**
 * `label` as it may follow `prefix` on one line: with its colons escaped when the line would
 * otherwise match Mermaid's style pre-pass. Once they are, the only colon left on the line is the
 * statement's own `: `, followed by a space, so the pre-pass cannot match any more.
 */
function guardLine(prefix: string, label: string): string {
  return STYLE_PREPASS.some((r) => r.test(prefix + label)) ? label.replaceAll(':', ENTITIES[':'] as string) : label;
}

/**
 * Cuts `text` to at most `max` characters (counted in code points, so an emoji is never split),
 * ending with `…` when anything was cut.
 *
 * @example
 * truncateText('Hello, world', 6); // 'Hello…'
 */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return '…';
  return `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Turns any string into text that Mermaid's sequence grammar reads back, and its renderer draws,
 * as exactly that text (up to whitespace): each line with whitespace runs collapsed, blank lines
 * dropped, cut to `maxLength` with `…`, lines joined by `<br>`, and every character the lexer or
 * renderer would interpret replaced by its entity code.
 *
 * @example
 * escapeMermaidText('Look: <b>bold</b> & "quotes"; #1 %%');
 * // 'Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;quotes#quot;#59; #35;1 #37;#37;'
 * escapeMermaidText('first line\nsecond');
 * // 'first line<br>second'
 */
export function escapeMermaidText(text: string, maxLength = 160): string {
  // Cut before escaping, so a cut never lands inside an entity code.
  const cut = truncateText(textLines(text).join('\n'), maxLength);
  const escaped = cut
    .split('\n')
    .map((line) => escapeChars(line))
    .join(LINE_BREAK);
  return escaped.replace(WRAP_DIRECTIVE, '$1#58;');
}

/**
 * {@link escapeMermaidText} on one line: for comments and titles, which Mermaid does not split at
 * `<br>`.
 */
function escapeOneLine(text: string, maxLength: number): string {
  return escapeChars(truncateText(oneLine(text).replace(/\s+/g, ' ').trim(), maxLength)).replace(WRAP_DIRECTIVE, '$1#58;');
}

/**
 * Mermaid reads these at the start of a text as a wrapping directive and drops them (its
 * `extractWrap` tests `/^:?wrap:/` and `/^:?nowrap:/` on the trimmed text).
 */
const WRAP_DIRECTIVE = /^(:?(?:no)?wrap):/i;

/**
 * How wide an escaped text is as Mermaid measures it, in characters: Mermaid lays the diagram out
 * with its entity placeholders still in the text (`#quot;` is measured as `ﬂ°quot¶ß`, eight
 * characters; `#59;` as `ﬂ°°59¶ß`, seven), so a label is broken by that width. Breaking by the
 * characters shown instead would let each quote widen the gap between two lifelines.
 */
function measuredLength(escaped: string): number {
  const placeholders = escaped.replace(/#(\d+);/g, '...$1..').replace(/#(\w+);/g, '..$1..');
  return Array.from(placeholders).length;
}

/**
 * Breaks one escaped line at spaces into lines at most `width` characters wide as Mermaid measures
 * them; a longer word gets a line of its own, whole. An escaped text has no space inside an entity code, so no break
 * ever splits one, and joining the result with single spaces gives the line back exactly.
 */
function wrapEscapedLine(line: string, width: number): string[] {
  if (width <= 0 || measuredLength(line) <= width) return [line];
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current === '') current = word;
    else if (measuredLength(current) + 1 + measuredLength(word) <= width) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  out.push(current);
  return out;
}

/** An escaped label's lines re-broken to `width` characters each, joined by `<br>`. */
function wrapLabel(label: string, width: number): string {
  return label
    .split(LINE_BREAK)
    .flatMap((line) => wrapEscapedLine(line, width))
    .join(LINE_BREAK);
}

/**
 * The default line width per gap between neighbouring lifelines, in characters as Mermaid
 * measures them. The workbench draws 130 px boxes 36 px apart with 16 px text, about 8.5 px a
 * character: a 14-character line (120 px, plus Mermaid's 10 px padding each side) keeps
 * neighbouring lifelines about as far apart as Mermaid's own wrapping did.
 */
export const WRAP_CHARS = 14;

/** What the printer puts between two lines of one text; Mermaid splits labels on it. */
export const LINE_BREAK = '<br>';

const PARTICIPANT_LINE = /^(\s*(?:participant|actor) [A-Za-z]\w* as )(.*)$/;
const MESSAGE_LINE = /^(\s*([A-Za-z]\w*)(?:-->>|->>|-\)|-x)[+-]?([A-Za-z]\w*): )(.*)$/;
const NOTE_LINE = /^(\s*Note (over|left of|right of) ([A-Za-z]\w*)(?:,([A-Za-z]\w*))?: )(.*)$/;
const LOOP_LINE = /^(\s*loop )(.*)$/;
const DECLARATION = /^\s*(?:participant|actor) ([A-Za-z]\w*)\b/;

/**
 * Wraps the labels of a sequence diagram this module printed so they fit the room they are drawn
 * in, for renderers that run Mermaid with `wrap: false` (see the top of this file for why):
 * an arrow's label gets `wrapChars` characters a line for every lifeline gap it crosses, a note
 * over two lifelines the gaps between them plus one, a note beside or over one lifeline one gap,
 * a participant's name one character less (it sits inside its box), a loop's label three.
 * Lines break at spaces only, so a label reads exactly as before, an entity code is never split
 * and a word longer than a line stays whole. Lines that are not labels are left as they are.
 *
 * @example
 * wrapMermaidLabels('sequenceDiagram\n    participant A\n    participant B\n    A->>B: one two three four\n', 8);
 * // 'sequenceDiagram\n    participant A\n    participant B\n    A->>B: one two<br>three<br>four\n'
 */
export function wrapMermaidLabels(text: string, wrapChars = WRAP_CHARS): string {
  if (wrapChars <= 0) return text;
  const lines = text.split('\n');
  // Lifelines are drawn in declaration order: the gaps between two of them is a label's room.
  const column = new Map<string, number>();
  for (const line of lines) {
    const id = DECLARATION.exec(line)?.[1];
    if (id !== undefined && !column.has(id)) column.set(id, column.size);
  }
  const gaps = (a: string, b: string): number => Math.abs((column.get(a) ?? 0) - (column.get(b) ?? 0));
  const wrap = (prefix: string, label: string, width: number): string => prefix + guardLine(prefix, wrapLabel(label, Math.max(1, width)));
  return lines
    .map((line) => {
      let m = PARTICIPANT_LINE.exec(line);
      // A name is drawn inside its box, which leaves a little less room than a gap.
      if (m !== null) return wrap(m[1] as string, m[2] as string, wrapChars - 1);
      m = MESSAGE_LINE.exec(line);
      if (m !== null) return wrap(m[1] as string, m[4] as string, wrapChars * Math.max(1, gaps(m[2] as string, m[3] as string)));
      m = NOTE_LINE.exec(line);
      if (m !== null) {
        const span = m[2] === 'over' && m[4] !== undefined ? gaps(m[3] as string, m[4]) + 1 : 1;
        return wrap(m[1] as string, m[5] as string, wrapChars * span);
      }
      m = LOOP_LINE.exec(line);
      if (m !== null) return wrap(m[1] as string, m[2] as string, wrapChars * 3);
      return line;
    })
    .join('\n');
}

/** Words the sequence lexer reads as keywords (it matches case-insensitively). */
const RESERVED = new Set(
  [
    'participant', 'actor', 'create', 'destroy', 'as', 'box', 'loop', 'rect', 'opt', 'alt', 'else',
    'par', 'par_over', 'and', 'critical', 'option', 'break', 'end', 'left', 'right', 'of', 'over',
    'links', 'link', 'properties', 'details', 'note', 'activate', 'deactivate', 'title',
    'acctitle', 'accdescr', 'sequencediagram', 'autonumber', 'off',
  ],
);

/**
 * Turns a node id into a participant id Mermaid cannot misread: letters, digits and `_`, starting
 * with a letter, and never a keyword (`end` would close a block). Deterministic, so the same node
 * always gets the same id; distinct inputs can collide (`ws-1`, `ws_1`), which callers that need
 * uniqueness resolve with {@link uniqueMermaidIds}.
 *
 * @example
 * safeMermaidId('c-u1'); // 'c_u1'
 * safeMermaidId('end');  // 'p_end'
 */
export function safeMermaidId(raw: string): string {
  const base = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (base === '' || !/^[A-Za-z]/.test(base) || RESERVED.has(base.toLowerCase())) return `p_${base}`;
  return base;
}

/**
 * Maps each raw id to a distinct safe participant id, in the given order: the first keeps
 * {@link safeMermaidId}'s answer, later collisions get `_2`, `_3`, ….
 *
 * @example
 * uniqueMermaidIds(['ws-1', 'ws_1']); // Map { 'ws-1' => 'ws_1', 'ws_1' => 'ws_1_2' }
 */
export function uniqueMermaidIds(raw: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of raw) {
    if (out.has(id)) continue;
    const base = safeMermaidId(id);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    out.set(id, candidate);
  }
  return out;
}

const ARROWS = { solid: '->>', dashed: '-->>', async: '-)', cross: '-x' } as const;

/** Clamps a colour channel to an integer in 0..255. */
function channel(v: number): number {
  return Number.isFinite(v) ? Math.min(255, Math.max(0, Math.round(v))) : 0;
}

/**
 * Prints a sequence-diagram AST as Mermaid text. Every piece of text is escaped with
 * {@link escapeMermaidText} and broken into lines that fit the room it is drawn in (see
 * {@link PrintOptions.wrapChars}); every participant reference goes through the same id map, so
 * ids that are not safe identifiers are sanitized consistently. Participants referenced but not
 * declared are declared (in order of first use) after the declared ones.
 *
 * @example
 * printSequenceDiagram({
 *   kind: 'sequenceDiagram',
 *   participants: [{ id: 'A', label: 'Client A (u1)' }, { id: 'GW', label: 'API Gateway' }],
 *   statements: [{ kind: 'message', from: 'A', to: 'GW', arrow: 'solid', text: 'send("Hi; #1")' }],
 * });
 * // sequenceDiagram
 * //     participant A as Client A (u1)
 * //     participant GW as API Gateway
 * //     A->>GW: send(#quot;Hi#59; #35;1#quot;)
 */
export function printSequenceDiagram(ast: SequenceDiagramAst, options: PrintOptions = {}): string {
  const indent = options.indent ?? '    ';
  const max = options.maxTextLength ?? 160;
  const esc = (text: string): string => escapeMermaidText(text, max);
  // Every line that carries a text goes through the style pre-pass guard (see the top).
  const labelled = (prefix: string, label: string): string => prefix + guardLine(prefix, label);

  // Collect every id in order of appearance so undeclared ones get stable safe ids too.
  const declared: SeqParticipant[] = [...ast.participants];
  const seen = new Set(declared.map((p) => p.id));
  const visit = (statements: readonly SeqStatement[]): void => {
    for (const s of statements) {
      const refs =
        s.kind === 'message' ? [s.from, s.to]
        : s.kind === 'note' ? [...s.participants]
        : s.kind === 'activate' || s.kind === 'deactivate' ? [s.participant]
        : s.kind === 'rect' || s.kind === 'loop' ? (visit(s.body), [])
        : [];
      for (const id of refs) {
        if (!seen.has(id)) {
          seen.add(id);
          declared.push({ id, label: id });
        }
      }
    }
  };
  visit(ast.statements);
  const ids = uniqueMermaidIds(declared.map((p) => p.id));
  const idOf = (raw: string): string => ids.get(raw) ?? safeMermaidId(raw);

  const lines: string[] = ['sequenceDiagram'];
  if (ast.title !== undefined && ast.title.trim() !== '') lines.push(labelled(`${indent}title `, escapeOneLine(ast.title, max)));
  if (ast.autonumber === true) lines.push(`${indent}autonumber`);
  for (const p of declared) {
    const id = idOf(p.id);
    const label = esc(p.label);
    const keyword = p.shape ?? 'participant';
    lines.push(label === '' || label === id ? `${indent}${keyword} ${id}` : labelled(`${indent}${keyword} ${id} as `, label));
  }

  const printNote = (n: SeqNote): string => {
    const who = n.placement === 'over' ? n.participants.map(idOf).join(',') : idOf(n.participants[0]);
    return labelled(`Note ${n.placement} ${who}: `, esc(n.text));
  };

  const printBody = (statements: readonly SeqStatement[], depth: number): void => {
    const pad = indent.repeat(depth);
    for (const s of statements) {
      switch (s.kind) {
        case 'message': {
          const mark = s.activation === 'activate' ? '+' : s.activation === 'deactivate' ? '-' : '';
          lines.push(labelled(`${pad}${idOf(s.from)}${ARROWS[s.arrow]}${mark}${idOf(s.to)}: `, esc(s.text)));
          break;
        }
        case 'note':
          lines.push(pad + printNote(s));
          break;
        case 'activate':
        case 'deactivate':
          lines.push(`${pad}${s.kind} ${idOf(s.participant)}`);
          break;
        case 'rect': {
          const { r, g, b, a } = s.color;
          const color = a === undefined
            ? `rgb(${channel(r)}, ${channel(g)}, ${channel(b)})`
            : `rgba(${channel(r)}, ${channel(g)}, ${channel(b)}, ${Number.isFinite(a) ? Math.min(1, Math.max(0, a)) : 1})`;
          lines.push(`${pad}rect ${color}`);
          printBody(s.body, depth + 1);
          lines.push(`${pad}end`);
          break;
        }
        case 'loop':
          lines.push(labelled(`${pad}loop `, esc(s.label)));
          printBody(s.body, depth + 1);
          lines.push(`${pad}end`);
          break;
        case 'comment':
          // Escaped like any text, on one line: a newline would start a statement, and Mermaid
          // looks for `%%{…}%%` directives anywhere in the source, comments included.
          lines.push(labelled(`${pad}%% `, escapeOneLine(s.text, max)));
          break;
      }
    }
  };
  printBody(ast.statements, 1);
  const text = `${lines.join('\n')}\n`;
  return options.wrapChars !== undefined && options.wrapChars > 0 ? wrapMermaidLabels(text, options.wrapChars) : text;
}
