/**
 * A small, tolerant reader of the Mermaid `sequenceDiagram` subset a student writes on the
 * whiteboard: participants and actors (with `as` labels), every arrow kind, activations (`+`/`-`
 * and `activate`/`deactivate`), notes, `autonumber`, the blocks (`loop`, `alt`/`else`, `opt`,
 * `par`/`and`, `critical`/`option`, `break`, `rect`, `box`) whose contents are kept in reading
 * order, and `%%` comments.
 *
 * It never throws: whatever it cannot read becomes an error with a 1-based line and column, and
 * everything it could read is still returned, so the check can say what it understood. It is not
 * Mermaid's parser (no Mermaid below `ui`); the editor also asks `mermaid.parse` for the drawing,
 * and this reader stays deliberately close to what Mermaid 11 accepts for this subset.
 */

/** The arrows of a Mermaid sequence diagram, as written. */
export type StudentArrow = '->>' | '-->>' | '->' | '-->' | '-x' | '--x' | '-)' | '--)' | '<<->>' | '<<-->>';

/** Every arrow the reader knows, longest first (the order the scanner tries them in). */
export const STUDENT_ARROWS: readonly StudentArrow[] = ['<<-->>', '<<->>', '-->>', '->>', '--x', '--)', '-->', '-x', '-)', '->'];

/** A lifeline the student declared, or one that a message introduced. */
export interface StudentParticipant {
  /** The name messages use. */
  readonly id: string;
  /** What the box shows: the `as` label, else the id. */
  readonly label: string;
  readonly shape: 'participant' | 'actor';
  /** 1-based line of the declaration, or of the first message that used it. */
  readonly line: number;
  /** False when no `participant`/`actor` line declared it (a message introduced it). */
  readonly declared: boolean;
}

/** One arrow, in reading order (blocks flattened). */
export interface StudentMessage {
  readonly from: string;
  readonly to: string;
  readonly arrow: StudentArrow;
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** `+` activates the target, `-` deactivates the source. */
  readonly activation: 'activate' | 'deactivate' | null;
  /** How many blocks (loop, alt, …) enclose it. */
  readonly depth: number;
}

/** A note, kept for the side-by-side view. */
export interface StudentNote {
  readonly placement: 'over' | 'left of' | 'right of';
  readonly participants: readonly string[];
  readonly text: string;
  readonly line: number;
}

/** A problem in the text, where it is (1-based). */
export interface ParseError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What the reader understood. */
export interface ParsedSequence {
  readonly participants: readonly StudentParticipant[];
  readonly messages: readonly StudentMessage[];
  readonly notes: readonly StudentNote[];
  readonly autonumber: boolean;
  readonly errors: readonly ParseError[];
}

/** The longest text read; a longer one is cut there, with an error saying so. */
export const MAX_SOURCE_CHARS = 50_000;

const OPENERS = new Set(['loop', 'alt', 'opt', 'par', 'critical', 'break', 'rect', 'box']);
/** Block continuations and the blocks they may continue. */
const CONTINUATIONS: Readonly<Record<string, readonly string[]>> = { else: ['alt'], and: ['par'], option: ['critical'] };
/** Lines read and ignored: they draw nothing the check compares. */
const IGNORED = new Set(['title', 'acctitle', 'accdescr', 'create', 'destroy', 'links', 'link', 'properties', 'details']);

/** A label as written: surrounding quotes removed, Mermaid's `#quot;`-style entities left alone. */
function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).trim();
  return t;
}

/** The first arrow in a line (outside its text), with where it is. */
function findArrow(body: string): { at: number; arrow: StudentArrow } | null {
  const colon = body.indexOf(':');
  const head = colon < 0 ? body : body.slice(0, colon);
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c !== '-' && c !== '<') continue;
    for (const a of STUDENT_ARROWS) {
      if (head.startsWith(a, i)) return { at: i, arrow: a };
    }
  }
  return null;
}

/**
 * Reads a student's Mermaid sequence diagram. Never throws.
 *
 * @example
 * const parsed = parseSequence('sequenceDiagram\n  participant A as Client A\n  A->>GW: send');
 * parsed.messages[0]; // { from: 'A', to: 'GW', arrow: '->>', text: 'send', line: 3, column: 3, … }
 * parseSequence('sequenceDiagram\n  A=>B: hi').errors[0]; // { line: 2, column: 3, message: 'cannot read this line: …' }
 */
export function parseSequence(source: string): ParsedSequence {
  const participants = new Map<string, StudentParticipant>();
  const messages: StudentMessage[] = [];
  const notes: StudentNote[] = [];
  const errors: ParseError[] = [];
  let autonumber = false;
  let text = typeof source === 'string' ? source : '';
  if (text.length > MAX_SOURCE_CHARS) {
    text = text.slice(0, MAX_SOURCE_CHARS);
    errors.push({ line: 1, column: 1, message: `the diagram is longer than ${MAX_SOURCE_CHARS} characters; only the start was read` });
  }
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: { kind: string; line: number; column: number }[] = [];
  let headerSeen = false;
  let inFrontMatter = false;

  const mention = (id: string, line: number): void => {
    if (!participants.has(id)) participants.set(id, { id, label: id, shape: 'participant', line, declared: false });
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    const col = raw.length - raw.trimStart().length + 1;
    if (i === 0 && trimmed === '---') {
      inFrontMatter = true;
      continue;
    }
    if (inFrontMatter) {
      if (trimmed === '---') inFrontMatter = false;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('%%')) continue;
    // Mermaid also ends a statement at `;`; the subset here keeps one statement per line.
    const stmt = trimmed.endsWith(';') ? trimmed.slice(0, -1).trimEnd() : trimmed;
    if (!headerSeen) {
      if (/^sequenceDiagram\b/.test(stmt)) {
        headerSeen = true;
        continue;
      }
      errors.push({ line: lineNo, column: col, message: `a sequence diagram starts with "sequenceDiagram"; found "${stmt.slice(0, 40)}"` });
      headerSeen = true;
      continue;
    }
    const word = (/^[A-Za-z]+/.exec(stmt)?.[0] ?? '').toLowerCase();
    const rest = stmt.slice(word.length);
    const restCol = col + word.length + (rest.length - rest.trimStart().length);

    if ((word === 'participant' || word === 'actor') && /^\s/.test(rest)) {
      const decl = rest.trim();
      const m = /^(.+?)\s+as\s+(.+)$/.exec(decl);
      const id = (m?.[1] ?? decl).trim();
      const label = m === null ? id : unquote(m[2] ?? '');
      if (id === '' || /[:,;]|-[->x)]/.test(id)) {
        errors.push({ line: lineNo, column: restCol, message: `a ${word} needs a name without ":", ",", ";" or arrows; found "${id}"` });
        continue;
      }
      const known = participants.get(id);
      if (known !== undefined && known.declared) {
        errors.push({ line: lineNo, column: restCol, message: `"${id}" is declared twice (first on line ${known.line})` });
        continue;
      }
      participants.set(id, { id, label: label === '' ? id : label, shape: word, line: lineNo, declared: true });
      continue;
    }
    if (word === 'autonumber') {
      autonumber = true;
      continue;
    }
    if (word === 'activate' || word === 'deactivate') {
      const who = rest.trim();
      if (who === '') errors.push({ line: lineNo, column: restCol, message: `${word} needs a participant` });
      else mention(who, lineNo);
      continue;
    }
    if (word === 'note' && /^\s/.test(rest)) {
      const m = /^(left of|right of|over)\s+([^:]+?)\s*:(.*)$/i.exec(rest.trim());
      if (m === null) {
        errors.push({ line: lineNo, column: restCol, message: 'a note reads "Note over A: text", "Note over A,B: text", "Note left of A: text" or "Note right of A: text"' });
        continue;
      }
      const placement = (m[1] ?? 'over').toLowerCase() as StudentNote['placement'];
      const who = (m[2] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (who.length === 0 || who.length > 2 || (placement !== 'over' && who.length !== 1)) {
        errors.push({ line: lineNo, column: restCol, message: `a note "${placement}" takes ${placement === 'over' ? 'one or two participants' : 'one participant'}` });
        continue;
      }
      for (const w of who) mention(w, lineNo);
      notes.push({ placement, participants: who, text: (m[3] ?? '').trim(), line: lineNo });
      continue;
    }
    if (OPENERS.has(word) && (rest === '' || /^\s/.test(rest))) {
      blocks.push({ kind: word, line: lineNo, column: col });
      continue;
    }
    const parents = CONTINUATIONS[word];
    if (parents !== undefined && (rest === '' || /^\s/.test(rest))) {
      const top = blocks[blocks.length - 1];
      if (top === undefined || !parents.includes(top.kind)) {
        errors.push({ line: lineNo, column: col, message: `"${word}" belongs inside ${parents.map((p) => `"${p}"`).join(' or ')}, which is not open here` });
      }
      continue;
    }
    if (word === 'end' && rest.trim() === '') {
      if (blocks.pop() === undefined) errors.push({ line: lineNo, column: col, message: '"end" without a block to close (loop, alt, opt, par, critical, break, rect, box)' });
      continue;
    }
    if (IGNORED.has(word) && (rest === '' || /^[\s:]/.test(rest))) continue;

    const found = findArrow(stmt);
    if (found === null) {
      errors.push({ line: lineNo, column: col, message: `cannot read this line: expected a message like "A->>B: text", a participant, a note or a block; found "${stmt.slice(0, 40)}"` });
      continue;
    }
    const from = stmt.slice(0, found.at).trim();
    const after = stmt.slice(found.at + found.arrow.length);
    const colon = after.indexOf(':');
    let target = (colon < 0 ? after : after.slice(0, colon)).trim();
    const msgText = colon < 0 ? '' : after.slice(colon + 1).trim();
    let activation: StudentMessage['activation'] = null;
    if (target.startsWith('+')) activation = 'activate';
    else if (target.startsWith('-')) activation = 'deactivate';
    if (activation !== null) target = target.slice(1).trim();
    const arrowCol = col + found.at;
    if (from === '') {
      errors.push({ line: lineNo, column: col, message: `the arrow "${found.arrow}" has no sender before it` });
      continue;
    }
    if (target === '') {
      errors.push({ line: lineNo, column: arrowCol + found.arrow.length, message: `the arrow "${found.arrow}" has no receiver after it` });
      continue;
    }
    if (/[<>]|-[-x)]/.test(target) || /[<>]/.test(from)) {
      errors.push({ line: lineNo, column: arrowCol, message: `one arrow per line; this line has more than one` });
      continue;
    }
    if (colon < 0) {
      errors.push({ line: lineNo, column: col + stmt.length, message: `a message needs ":" and a text after the receiver, e.g. "${from}${found.arrow}${target}: send"` });
    }
    mention(from, lineNo);
    mention(target, lineNo);
    messages.push({ from, to: target, arrow: found.arrow, text: msgText, line: lineNo, column: col, activation, depth: blocks.length });
  }
  if (!headerSeen) errors.push({ line: 1, column: 1, message: 'the diagram is empty: it starts with "sequenceDiagram"' });
  for (const b of blocks) errors.push({ line: b.line, column: b.column, message: `"${b.kind}" opened here is never closed with "end"` });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { participants: [...participants.values()], messages, notes, autonumber, errors };
}
