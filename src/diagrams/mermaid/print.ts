/**
 * The one printer from the sequence-diagram AST to Mermaid text, and the escaping it relies on.
 *
 * Why escaping is needed, from Mermaid 11's sequence grammar: message, note, label and loop text
 * runs to the end of the line but stops at `#` (which starts a comment) and `;` (which ends a
 * statement), a leading `wrap:` or `nowrap:` is read as a directive, and the renderer treats
 * `<…>` as HTML. Mermaid's own escape is the entity code `#name;` or `#decimal;` (documented as
 * "entity codes to escape characters"; `#quot;` and `#9829;` are its examples): before parsing it
 * swaps every `#\w+;` for a placeholder (`ﬂ°°35¶ß`), so an escaped text contains no `#` or `;`
 * the lexer could see, and the renderer turns the placeholder back into `&#35;`.
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
  // The two characters Mermaid uses in its entity placeholders: escaping them means a chat message
  // can never forge a placeholder that would decode into markup.
  '\uFB02': '#64258;',
  '\u00B6': '#182;',
};

const ESCAPED = /[#;&<>"%`\uFB02\u00B6]/g;

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

/**
 * Mermaid reads these at the start of a text as a wrapping directive and drops them (its
 * `extractWrap` tests `/^:?wrap:/` and `/^:?nowrap:/` on the trimmed text).
 */
const WRAP_DIRECTIVE = /^(:?(?:no)?wrap):/i;

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
 * Turns any string into text that Mermaid's sequence grammar reads back as exactly that text (up
 * to whitespace): one line, whitespace runs collapsed, cut to `maxLength` with `…`, and every
 * character the lexer or renderer would interpret replaced by its entity code.
 *
 * @example
 * escapeMermaidText('Look: <b>bold</b> & "quotes"; #1 %%');
 * // 'Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;quotes#quot;#59; #35;1 #37;#37;'
 */
export function escapeMermaidText(text: string, maxLength = 160): string {
  const line = oneLine(text).replace(/\s+/g, ' ').trim();
  // Cut before escaping, so a cut never lands inside an entity code.
  const cut = truncateText(line, maxLength);
  const escaped = cut.replace(ESCAPED, (ch) => ENTITIES[ch] ?? ch);
  return escaped.replace(WRAP_DIRECTIVE, '$1#58;');
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
 * {@link escapeMermaidText}; every participant reference goes through the same id map, so ids
 * that are not safe identifiers are sanitized consistently. Participants referenced but not
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
  if (ast.title !== undefined && ast.title.trim() !== '') lines.push(`${indent}title ${esc(ast.title)}`);
  if (ast.autonumber === true) lines.push(`${indent}autonumber`);
  for (const p of declared) {
    const id = idOf(p.id);
    const label = esc(p.label);
    const keyword = p.shape ?? 'participant';
    lines.push(label === '' || label === id ? `${indent}${keyword} ${id}` : `${indent}${keyword} ${id} as ${label}`);
  }

  const printNote = (n: SeqNote): string => {
    const who = n.placement === 'over' ? n.participants.map(idOf).join(',') : idOf(n.participants[0]);
    return `Note ${n.placement} ${who}: ${esc(n.text)}`;
  };

  const printBody = (statements: readonly SeqStatement[], depth: number): void => {
    const pad = indent.repeat(depth);
    for (const s of statements) {
      switch (s.kind) {
        case 'message': {
          const mark = s.activation === 'activate' ? '+' : s.activation === 'deactivate' ? '-' : '';
          lines.push(`${pad}${idOf(s.from)}${ARROWS[s.arrow]}${mark}${idOf(s.to)}: ${esc(s.text)}`);
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
          lines.push(`${pad}loop ${esc(s.label)}`);
          printBody(s.body, depth + 1);
          lines.push(`${pad}end`);
          break;
        case 'comment':
          // Escaped like any text: a newline would start a statement, and Mermaid looks for
          // `%%{…}%%` directives anywhere in the source, comments included.
          lines.push(`${pad}%% ${esc(s.text)}`);
          break;
      }
    }
  };
  printBody(ast.statements, 1);
  return `${lines.join('\n')}\n`;
}
