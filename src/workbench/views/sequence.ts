/**
 * The sequence diagram's view: which message (or window of messages) to draw at the playhead,
 * and the catalog for the picker, answered from the live index so it costs what it draws.
 */
import {
  sequenceDiagram,
  sequenceDiagramForWindow,
  type ChatMessageRef,
  type SequenceParticipantInfo,
  type SequenceWindowOptions,
  type TraceIndex,
} from '../../diagrams/index.ts';

/** Which sequence diagram to draw. */
export type SequenceQuery =
  | { readonly mode: 'follow' }
  | { readonly mode: 'message'; readonly messageId?: string; readonly clientMsgId?: string }
  | ({ readonly mode: 'window' } & Pick<SequenceWindowOptions, 'fromMs' | 'toMs' | 'user' | 'channel' | 'hops' | 'maxChatMessages'>);

/** Display options shared by every sequence query. */
export interface SequenceDisplay {
  readonly maxMessages?: number;
  /** Chat text in arrow labels is cut to this many characters. Default 16 (narrower diagrams). */
  readonly maxTextLength?: number;
  readonly presenceNotes?: boolean;
  readonly showConnect?: boolean;
  readonly autonumber?: boolean;
  /** The run's transport, so a client's frames are named for what they are on the wire (the workbench fills it in). */
  readonly transport?: SequenceWindowOptions['transport'];
}

/** A sequence diagram and the message catalog for the picker. */
export interface SequenceView {
  readonly text: string;
  readonly capped: boolean;
  readonly participants: readonly SequenceParticipantInfo[];
  /** The chat messages drawn. */
  readonly messages: readonly ChatMessageRef[];
  /** The newest messages sent up to the playhead, newest last (at most {@link CATALOG_MAX}). */
  readonly catalog: readonly ChatMessageRef[];
  readonly catalogTotal: number;
  /** When the latest message was sent, at or before the playhead (null: none yet), so an empty window can say where the messages are. */
  readonly latestSentAtMs: number | null;
  readonly atMs: number;
}

/** Messages listed in the sequence diagram's picker at most. */
export const CATALOG_MAX = 300;

/**
 * The sequence diagram for a query at `atMs`, from the live index.
 *
 * @example
 * sequenceView(index, { mode: 'follow' }, {}, 10_000).messages[0]?.clientMsgId;
 */
export function sequenceView(index: TraceIndex, query: SequenceQuery, display: SequenceDisplay, atMs: number): SequenceView {
  const common = {
    atMs,
    maxMessages: display.maxMessages ?? 120,
    maxTextLength: display.maxTextLength ?? 16,
    presenceNotes: display.presenceNotes ?? true,
    showConnect: display.showConnect ?? false,
    autonumber: display.autonumber ?? false,
    ...(display.transport === undefined ? {} : { transport: display.transport }),
  };
  const result =
    query.mode === 'window'
      ? sequenceDiagramForWindow(index, {
          ...common,
          fromMs: query.fromMs,
          toMs: query.toMs,
          ...(query.user === undefined ? {} : { user: query.user }),
          ...(query.channel === undefined ? {} : { channel: query.channel }),
          hops: query.hops ?? 'all',
          maxChatMessages: query.maxChatMessages ?? 8,
        })
      : query.mode === 'message'
        ? sequenceDiagram(index, {
            ...common,
            ...(query.messageId === undefined ? {} : { messageId: query.messageId }),
            ...(query.clientMsgId === undefined ? {} : { clientMsgId: query.clientMsgId }),
          })
        : sequenceDiagram(index, { ...common, follow: 'latest' });
  return {
    text: result.text,
    capped: result.capped,
    participants: result.participants,
    messages: result.messages,
    catalog: index.catalog.newest(CATALOG_MAX).map((m) => ({ ...m })),
    catalogTotal: index.catalog.size,
    latestSentAtMs: index.catalog.latestAtOrBefore(atMs)?.sentAt ?? null,
    atMs,
  };
}
