/**
 * What the person chose to draw in the sequence diagram, kept apart from the (lazily loaded) panel
 * so the app can build queries without pulling Mermaid into the first bundle.
 */
import type { SequenceQuery } from '../../workbench/index.ts';

/** What the person chose to draw; a window is a span ending at the playhead, so it slides. */
export type SequenceChoice =
  /** `connect`: also draw the connects and presence updates that came before the message. */
  | { readonly mode: 'follow'; readonly connect?: boolean }
  | { readonly mode: 'message'; readonly messageId: string; readonly connect?: boolean }
  | {
      readonly mode: 'window';
      /** How far back from the playhead; null for the whole run. */
      readonly spanMs: number | null;
      readonly channel?: string;
      readonly user?: string;
      readonly hops: 'all' | 'client';
      readonly maxChatMessages: number;
    };

export type SequenceMode = SequenceChoice['mode'];

/** The workbench's display options for a choice (what to draw besides the message's own path). */
export function sequenceDisplayOf(choice: SequenceChoice): { readonly showConnect: boolean } {
  return { showConnect: choice.mode !== 'window' && choice.connect === true };
}

/** The workbench query for a choice at the playhead. */
export function sequenceQueryOf(choice: SequenceChoice, nowMs: number): SequenceQuery {
  if (choice.mode === 'follow') return { mode: 'follow' };
  if (choice.mode === 'message') return { mode: 'message', messageId: choice.messageId };
  const { spanMs, channel, user, hops, maxChatMessages } = choice;
  return {
    mode: 'window',
    fromMs: spanMs === null ? 0 : Math.max(0, nowMs - spanMs),
    toMs: nowMs,
    hops,
    maxChatMessages,
    ...(channel === undefined ? {} : { channel }),
    ...(user === undefined ? {} : { user }),
  };
}

/** The default window: the users' view of the last 5 s, up to 6 messages. */
export const DEFAULT_WINDOW: Extract<SequenceChoice, { mode: 'window' }> = { mode: 'window', spanMs: 5_000, hops: 'client', maxChatMessages: 6 };

