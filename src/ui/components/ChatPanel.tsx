import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { UserView } from '../../workbench/index.ts';
import { formatVirtualTime } from '../format.ts';
import { Icon } from './Icon.tsx';

/** A send the cluster refused or the client gave up on, as the sender's screen shows it. */
export type FailedSend = UserView['failed'][number];

/** A user's screen: what was shown, and the sends that failed. */
export type ChatView = UserView;

export interface ChatPanelProps {
  /** Every simulated user. */
  readonly users: readonly { readonly user: string; readonly node: string }[];
  /** The user you act as. */
  readonly user: string | null;
  readonly onUser: (user: string) => void;
  /** Their screen, exactly as their simulated client shows it; null while loading. */
  readonly view: ChatView | null;
  /** True while the simulation is playing (a sent message travels at once). */
  readonly playing: boolean;
  readonly onSend: (channel: string, text: string) => void;
  /** The user joins or leaves a group channel from their app (absent: the panel offers neither). */
  readonly onMembership?: (channel: string, action: 'join' | 'leave') => void;
  /** Longest message the composer sends, in characters; a longer one is refused with a note, never cut. */
  readonly maxLength?: number;
}

const NOTHING_SHOWN: UserView['channels'][number]['shown'] = [];
const NOTHING_FAILED: readonly FailedSend[] = [];

/** Characters as a person counts them (code points, so an emoji is one). */
const charCount = (text: string): number => Array.from(text).length;

type Row =
  | { readonly kind: 'shown'; readonly key: string; readonly at: number; readonly m: UserView['channels'][number]['shown'][number]; readonly duplicate: boolean }
  | { readonly kind: 'failed'; readonly key: string; readonly at: number; readonly f: FailedSend };

/** A stable colour per user, spread round the wheel by the golden angle so neighbours differ. */
function hue(user: string): number {
  const n = Number(/\d+/.exec(user)?.[0] ?? NaN);
  if (Number.isFinite(n)) return Math.round((n * 137.508 + 200) % 360);
  let h = 0;
  for (let i = 0; i < user.length; i++) h = (h * 31 + user.charCodeAt(i)) % 360;
  return h;
}

/**
 * Act as one user: their channels, their messages exactly as their client displays them (in the
 * order and with the repeats they saw), and a composer that types and sends through the cluster.
 * Text is always rendered as text: markup and Mermaid syntax in a message show as written.
 */
export const ChatPanel = memo(function ChatPanel({ users, user, onUser, view, playing, onSend, onMembership, maxLength = 500 }: ChatPanelProps) {
  const ids = { user: useId(), text: useId(), channel: useId(), count: useId(), join: useId() };
  const [joinChoice, setJoinChoice] = useState('');
  const channels = view?.channels ?? [];
  const [channel, setChannel] = useState<string | null>(null);
  const [text, setText] = useState('');
  const active = channels.find((c) => c.id === channel) ?? channels[0] ?? null;
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // A user without the chosen channel falls back to their first one.
  useEffect(() => {
    if (active !== null && active.id !== channel) setChannel(active.id);
  }, [active, channel]);

  const shown = active?.shown ?? NOTHING_SHOWN;
  const failed = view?.failed ?? NOTHING_FAILED;
  const rows = useMemo((): Row[] => {
    const seen = new Set<string>();
    const out: Row[] = shown.map((m, index) => {
      const duplicate = seen.has(m.id);
      seen.add(m.id);
      return { kind: 'shown', key: `${m.id}-${index}`, at: m.at, m, duplicate };
    });
    // A refused send sits where it happened among what the screen showed (a stable sort keeps
    // the screen's own order).
    const refused = failed.filter((f) => f.channel === active?.id).map((f): Row => ({ kind: 'failed', key: `failed-${f.clientMsgId}`, at: f.at, f }));
    return refused.length === 0 ? out : [...out, ...refused].sort((a, b) => a.at - b.at);
  }, [shown, failed, active?.id]);

  // Keep the newest message in view unless the person scrolled up to read.
  useEffect(() => {
    const list = listRef.current;
    if (list !== null && stick.current) list.scrollTop = list.scrollHeight;
  }, [rows.length, active?.id]);

  const body = text.trim();
  const length = charCount(body);
  const tooLong = length > maxLength;
  const isMember = active?.member ?? true;
  const isGroup = active !== null && !active.id.startsWith('dm:') && !active.id.startsWith('p:');
  const joinable = view?.joinable ?? [];
  const canSend = active !== null && isMember && body !== '' && !tooLong;
  const send = () => {
    if (!canSend) return;
    onSend(active.id, body);
    setText('');
  };

  return (
    <section className="chat" aria-label="Chat">
      <div className="chat-head">
        <div className="field">
          <label htmlFor={ids.user}>Act as</label>
          <select id={ids.user} value={user ?? ''} onChange={(event) => onUser(event.currentTarget.value)} disabled={users.length === 0}>
            {users.length === 0 ? <option value="">no users in this scenario</option> : null}
            {users.map((u) => (
              <option key={u.user} value={u.user}>
                {u.user}
              </option>
            ))}
          </select>
        </div>
        {view === null ? null : (
          <p className={`presence ${view.online ? 'online' : 'offline'}`} data-testid="chat-presence">
            <span className="dot" aria-hidden="true" />
            {view.online ? `online via ${view.server ?? '?'}` : 'offline'}
          </p>
        )}
      </div>

      {channels.length > 1 ? (
        <div className="chip-row" role="radiogroup" aria-label="Channel">
          {channels.map((c) => (
            <button
              key={c.id}
              type="button"
              role="radio"
              aria-checked={c.id === active?.id}
              className={`chip${c.id === active?.id ? ' is-selected' : ''}`}
              onClick={() => setChannel(c.id)}
              title={`Members: ${c.members.join(', ')}`}
            >
              {c.id.startsWith('dm:') ? `@ ${c.members.filter((m) => m !== user).join(', ')}` : `# ${c.id}`}
              {c.member ? null : <span className="chip-note"> (left)</span>}
              <span className="chip-count">{c.shown.length}</span>
            </button>
          ))}
        </div>
      ) : null}

      {onMembership === undefined || view === null ? null : (
        <div className="membership-row" data-testid="chat-membership">
          {active !== null && isGroup && isMember ? (
            <button type="button" className="small" onClick={() => onMembership(active.id, 'leave')}>
              Leave #{active.id}
            </button>
          ) : null}
          {active !== null && !isMember ? (
            <>
              <span className="note">{`${user ?? ''} left #${active.id}: what it showed stays here, read-only.`}</span>
              <button type="button" className="small" onClick={() => onMembership(active.id, 'join')}>
                Join #{active.id} again
              </button>
            </>
          ) : null}
          {joinable.filter((c) => c !== active?.id).length > 0 ? (
            <span className="join">
              <label htmlFor={ids.join} className="visually-hidden">
                Channel to join
              </label>
              <select id={ids.join} value={joinChoice} onChange={(event) => setJoinChoice(event.currentTarget.value)}>
                <option value="">Join a channel…</option>
                {joinable
                  .filter((c) => c !== active?.id)
                  .map((c) => (
                    <option key={c} value={c}>
                      #{c}
                    </option>
                  ))}
              </select>
              <button
                type="button"
                className="small"
                disabled={joinChoice === ''}
                onClick={() => {
                  onMembership(joinChoice, 'join');
                  setJoinChoice('');
                }}
              >
                Join
              </button>
            </span>
          ) : null}
        </div>
      )}

      {users.length === 0 ? (
        <p className="empty">This scenario has no chat users. Pick a cluster scenario such as group-chat.</p>
      ) : (
        <ol
          ref={listRef}
          className="messages"
          aria-label={active === null ? 'Messages' : `Messages in ${active.id} as ${user ?? ''} sees them`}
          aria-live="polite"
          aria-relevant="additions"
          data-testid="chat-messages"
          onScroll={(event) => {
            const el = event.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {rows.length === 0 ? (
            <li className="empty">{view === null ? 'Loading…' : 'Nothing on this screen yet.'}</li>
          ) : (
            rows.map((row) =>
              row.kind === 'shown' ? (
                <li key={row.key} className={`message${row.m.author === user ? ' mine' : ''}${row.duplicate ? ' duplicate' : ''}`}>
                  <span className="avatar" style={{ ['--hue' as string]: hue(row.m.author) }} aria-hidden="true">
                    {row.m.author.replace(/^u/, '')}
                  </span>
                  <div className="bubble">
                    <div className="meta">
                      <span className="author">{row.m.author}</span>
                      <span className="msg-id" title="Server-assigned message id">
                        {row.m.id}
                      </span>
                      <span className="when">{formatVirtualTime(row.m.at)}</span>
                      {row.duplicate ? <span className="tag tag-warn">duplicate</span> : null}
                    </div>
                    <p className="text">{row.m.text}</p>
                  </div>
                </li>
              ) : (
                <li key={row.key} className="message mine failed" aria-label={`Not sent: ${row.f.code}`}>
                  <span className="avatar" style={{ ['--hue' as string]: hue(user ?? '') }} aria-hidden="true">
                    {(user ?? '').replace(/^u/, '')}
                  </span>
                  <div className="bubble">
                    <div className="meta">
                      <span className="author">{user}</span>
                      <span className="msg-id" title="The client's idempotency key: the message never got a server id">
                        {row.f.clientMsgId}
                      </span>
                      <span className="when">{formatVirtualTime(row.f.at)}</span>
                      <span className="tag tag-bad">not sent: {row.f.code}</span>
                    </div>
                    <p className="text">{row.f.text}</p>
                    <p className="refusal">{row.f.message}</p>
                  </div>
                </li>
              ),
            )
          )}
        </ol>
      )}

      <form
        className="composer"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <label htmlFor={ids.text} className="visually-hidden">
          {active === null ? 'Message' : `Message as ${user ?? ''} in ${active.id}`}
        </label>
        {/* A text area, not an input: Shift+Enter starts a new line, Enter sends. No maxLength
            attribute either, because the browser would cut a long paste without a word. */}
        <textarea
          id={ids.text}
          rows={Math.min(5, Math.max(1, text.split('\n').length))}
          value={text}
          aria-describedby={ids.count}
          aria-invalid={tooLong}
          placeholder={active === null ? 'No channel' : !isMember ? `${user ?? ''} is no longer in #${active.id}` : `Message ${active.id.startsWith('dm:') ? '@' : '#'}${active.id.replace(/^dm:/, '')} as ${user ?? ''}`}
          disabled={active === null || !isMember}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter sends; Shift+Enter falls through to the text area's own new line. An Enter
            // that confirms an input method's composition is not a send.
            if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
            event.preventDefault();
            send();
          }}
        />
        <button type="submit" className="primary" disabled={!canSend}>
          <Icon name="send" />
          Send
        </button>
      </form>
      <p id={ids.count} className={`composer-status${tooLong ? ' is-over' : ''}`} aria-live="polite">
        <span className="char-count" data-testid="char-count">{`${length} / ${maxLength}`}</span>
        {tooLong ? (
          <span role="alert">{`Too long to send: ${length} characters, the limit is ${maxLength}. Remove ${length - maxLength} to send; nothing is cut for you.`}</span>
        ) : (
          <span className="hint-inline">Enter sends · Shift+Enter adds a line</span>
        )}
      </p>
      {playing ? null : <p className="hint">Paused: a message you send leaves the client when you press Play or Step.</p>}
    </section>
  );
});
