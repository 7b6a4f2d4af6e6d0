import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { UserView } from '../../workbench/index.ts';
import { formatVirtualTime } from '../format.ts';
import { Icon } from './Icon.tsx';

export interface ChatPanelProps {
  /** Every simulated user. */
  readonly users: readonly { readonly user: string; readonly node: string }[];
  /** The user you act as. */
  readonly user: string | null;
  readonly onUser: (user: string) => void;
  /** Their screen, exactly as their simulated client shows it; null while loading. */
  readonly view: UserView | null;
  /** True while the simulation is playing (a sent message travels at once). */
  readonly playing: boolean;
  readonly onSend: (channel: string, text: string) => void;
  /** Longest message the composer accepts. */
  readonly maxLength?: number;
}

const NOTHING_SHOWN: UserView['channels'][number]['shown'] = [];

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
export const ChatPanel = memo(function ChatPanel({ users, user, onUser, view, playing, onSend, maxLength = 500 }: ChatPanelProps) {
  const ids = { user: useId(), text: useId(), channel: useId() };
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
  const rows = useMemo(() => {
    const seen = new Set<string>();
    return shown.map((m, index) => {
      const duplicate = seen.has(m.id);
      seen.add(m.id);
      return { m, index, duplicate };
    });
  }, [shown]);

  // Keep the newest message in view unless the person scrolled up to read.
  useEffect(() => {
    const list = listRef.current;
    if (list !== null && stick.current) list.scrollTop = list.scrollHeight;
  }, [rows.length, active?.id]);

  const send = () => {
    const body = text.trim();
    if (active === null || body === '') return;
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
              <span className="chip-count">{c.shown.length}</span>
            </button>
          ))}
        </div>
      ) : null}

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
            rows.map(({ m, index, duplicate }) => {
              const mine = m.author === user;
              return (
                <li key={`${m.id}-${index}`} className={`message${mine ? ' mine' : ''}${duplicate ? ' duplicate' : ''}`}>
                  <span className="avatar" style={{ ['--hue' as string]: hue(m.author) }} aria-hidden="true">
                    {m.author.replace(/^u/, '')}
                  </span>
                  <div className="bubble">
                    <div className="meta">
                      <span className="author">{m.author}</span>
                      <span className="msg-id" title="Server-assigned message id">
                        {m.id}
                      </span>
                      <span className="when">{formatVirtualTime(m.at)}</span>
                      {duplicate ? <span className="tag tag-warn">duplicate</span> : null}
                    </div>
                    <p className="text">{m.text}</p>
                  </div>
                </li>
              );
            })
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
        <input
          id={ids.text}
          type="text"
          value={text}
          maxLength={maxLength}
          placeholder={active === null ? 'No channel' : `Message ${active.id.startsWith('dm:') ? '@' : '#'}${active.id.replace(/^dm:/, '')} as ${user ?? ''}`}
          disabled={active === null}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" className="primary" disabled={active === null || text.trim() === ''}>
          <Icon name="send" />
          Send
        </button>
      </form>
      {playing ? null : <p className="hint">Paused: a message you send leaves the client when you press Play or Step.</p>}
    </section>
  );
});
