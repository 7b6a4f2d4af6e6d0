/**
 * What the person chose to draw in the sequence diagram, kept apart from the (lazily loaded) panel
 * so the app can build queries without pulling Mermaid into the first bundle.
 */
import type { SequenceQuery } from '../../workbench/index.ts';

/** What the person chose to draw; a window is a span ending at the playhead, so it slides. */
export type SequenceChoice =
  | { readonly mode: 'follow' }
  | { readonly mode: 'message'; readonly messageId: string }
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

/** The workbench query for a choice at the playhead. */
export function sequenceQueryOf(choice: SequenceChoice, nowMs: number): SequenceQuery {
  if (choice.mode !== 'window') return choice;
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

