/**
 * A small typed AST for Mermaid sequence diagrams. Builders produce this plain data and
 * {@link printSequenceDiagram} (print.ts) is the only code that turns it into Mermaid text, so
 * escaping lives in exactly one place and no builder ever concatenates Mermaid syntax itself.
 *
 * Every `text`/`label` field holds raw, unescaped text (chat messages included): the printer
 * escapes and truncates it. Participant ids should be safe identifiers (see `safeMermaidId` in
 * print.ts); the printer sanitizes any that are not, consistently for every reference.
 */

/**
 * How an arrow is drawn:
 * - `solid` `->>`: a request or a forwarded frame;
 * - `dashed` `-->>`: a reply (ack, result);
 * - `async` `-)`: fire-and-forget (a publish, a push to a client);
 * - `cross` `-x`: a message that was lost (dropped by the network or a full queue).
 */
export type ArrowKind = 'solid' | 'dashed' | 'async' | 'cross';

/** A lifeline. */
export interface SeqParticipant {
  /** Stable identifier used by messages and notes; should match `[A-Za-z][A-Za-z0-9_]*`. */
  readonly id: string;
  /** What the box shows (raw text). Defaults to the id when empty. */
  readonly label: string;
  /** `participant` draws a box, `actor` a stick figure. Default `participant`. */
  readonly shape?: 'participant' | 'actor';
}

/** One arrow between two participants. */
export interface SeqMessage {
  readonly kind: 'message';
  readonly from: string;
  readonly to: string;
  readonly arrow: ArrowKind;
  /** Label on the arrow (raw text). */
  readonly text: string;
  /** Activation shorthand: `+` activates the target, `-` deactivates the source. */
  readonly activation?: 'activate' | 'deactivate';
}

/** A note over one participant (or spanning two), or beside one. */
export interface SeqNote {
  readonly kind: 'note';
  readonly placement: 'over' | 'left of' | 'right of';
  /** One participant, or two for `over` to span from the first to the second. */
  readonly participants: readonly [string] | readonly [string, string];
  readonly text: string;
}

/** An explicit activation bar change. */
export interface SeqActivation {
  readonly kind: 'activate' | 'deactivate';
  readonly participant: string;
}

/** A background colour behind a group of statements. Channels are 0–255, alpha 0–1. */
export interface SeqRect {
  readonly kind: 'rect';
  readonly color: { readonly r: number; readonly g: number; readonly b: number; readonly a?: number };
  readonly body: readonly SeqStatement[];
}

/** A labelled loop box around a group of statements. */
export interface SeqLoop {
  readonly kind: 'loop';
  readonly label: string;
  readonly body: readonly SeqStatement[];
}

/** A `%%` comment line: ignored by Mermaid, kept for readers of the text. */
export interface SeqComment {
  readonly kind: 'comment';
  readonly text: string;
}

/** Anything that can appear in the diagram's body. */
export type SeqStatement = SeqMessage | SeqNote | SeqActivation | SeqRect | SeqLoop | SeqComment;

/** A whole sequence diagram. */
export interface SequenceDiagramAst {
  readonly kind: 'sequenceDiagram';
  /**
   * Optional title. Mermaid sanitizes titles with DOMPurify while parsing, so `mermaid.parse`
   * of a titled diagram needs a DOM; builders here leave it unset and use comments and notes.
   */
  readonly title?: string;
  /** Number the arrows (Mermaid's `autonumber`). Default false. */
  readonly autonumber?: boolean;
  /** Declared in this order, which is the left-to-right order of the lifelines. */
  readonly participants: readonly SeqParticipant[];
  readonly statements: readonly SeqStatement[];
}

/**
 * Creates a message statement.
 *
 * @example
 * message('ClientA', 'APIGW', 'solid', 'send("Hi")'); // { kind: 'message', from: 'ClientA', … }
 */
export function message(from: string, to: string, arrow: ArrowKind, text: string): SeqMessage {
  return { kind: 'message', from, to, arrow, text };
}

/**
 * Creates a note over one participant, or spanning two.
 *
 * @example
 * noteOver(['WS1', 'WS2'], 'ws-2 crashed'); // Note over WS1,WS2: ws-2 crashed
 */
export function noteOver(participants: readonly [string] | readonly [string, string], text: string): SeqNote {
  return { kind: 'note', placement: 'over', participants, text };
}
