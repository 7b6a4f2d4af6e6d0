import { useId, useMemo, useRef, useState } from 'react';
import { wrapMermaidLabels } from '../../diagrams/index.ts';
import type { SequenceView } from '../../workbench/index.ts';
import { DEFAULT_WINDOW, type SequenceChoice, type SequenceMode } from './sequenceChoice.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { copyText, downloadBlob, downloadText, svgElementToString, svgToPng, themeBackground } from '../export.ts';
import { formatVirtualTime } from '../format.ts';
import { clip } from '../format.ts';
import { MermaidView, type MermaidHandle } from './MermaidView.tsx';

export interface SequencePanelProps {
  /** The diagram at the playhead; null while loading. */
  readonly view: SequenceView | null;
  readonly query: SequenceChoice;
  readonly onQuery: (query: SequenceChoice) => void;
  readonly theme: 'light' | 'dark';
  readonly channels: readonly string[];
  readonly users: readonly string[];
  readonly nowMs: number;
  readonly fileStem: string;
  /** True while playback runs: the diagram is then redrawn every two seconds, not every frame. */
  readonly stale?: boolean;
}

/** A window choice with `channel` or `user` set, or removed for "all". */
function withOptional(win: Extract<SequenceChoice, { mode: 'window' }>, key: 'channel' | 'user', value: string): SequenceChoice {
  const { [key]: _dropped, ...rest } = win;
  return value === '' ? rest : { ...rest, [key]: value };
}

const WINDOWS: readonly { ms: number | null; label: string }[] = [
  { ms: 2_000, label: 'last 2 s' },
  { ms: 5_000, label: 'last 5 s' },
  { ms: 15_000, label: 'last 15 s' },
  { ms: 60_000, label: 'last 60 s' },
  { ms: null, label: 'whole run' },
];

/**
 * The lab's sequence diagram, drawn from the run: one message's real path through the cluster
 * (follow the latest or pick one), or every message of a time window, where deliveries that
 * overtook an earlier message are marked out of order. Arrows carry their delivery time and
 * transit time. Export as Mermaid source, SVG or PNG.
 */
export function SequencePanel({ view, query, onQuery, theme, channels, users, nowMs, fileStem, stale = false }: SequencePanelProps) {
  const ids = { pick: useId(), span: useId(), channel: useId(), user: useId(), hops: useId(), max: useId() };
  const [fit, setFit] = useState(true);
  const mermaidRef = useRef<MermaidHandle>(null);
  const win = query.mode === 'window' ? query : null;
  // Long labels broken into lines here, at spaces, because Mermaid's own wrapping splits entity
  // codes (src/diagrams/mermaid/print.ts says how). The exports carry the same text, so another
  // Mermaid draws what this one does.
  const source = view?.text;
  const drawn = useMemo(() => (source === undefined ? '' : wrapMermaidLabels(source)), [source]);

  const connect = query.mode !== 'window' && query.connect === true;
  const setMode = (mode: SequenceMode) => {
    if (mode === 'follow') onQuery({ mode: 'follow', ...(connect ? { connect } : {}) });
    else if (mode === 'message') onQuery({ mode: 'message', messageId: view?.messages[0]?.id ?? view?.catalog.at(-1)?.id ?? '', ...(connect ? { connect } : {}) });
    else onQuery(DEFAULT_WINDOW);
  };

  const svgText = (): string => {
    const el = mermaidRef.current?.element() ?? null;
    return el === null ? '' : svgElementToString(el, { inlineStyles: false, background: themeBackground(), title: 'Sequence diagram' });
  };

  const messages = view?.messages ?? [];
  const header =
    messages.length === 1 && messages[0] !== undefined
      ? `${messages[0].id ?? messages[0].clientMsgId} by ${messages[0].author} in ${messages[0].channel}, sent at ${formatVirtualTime(messages[0].sentAt)}: “${clip(messages[0].text, 48)}”`
      : messages.length > 1
        ? `${messages.length} messages${win === null ? '' : ` sent ${win.spanMs === null ? 'since the start' : `in the ${formatVirtualTime(win.spanMs)} before ${formatVirtualTime(nowMs)}`}`}`
        : view === null
          ? 'Loading…'
          : channels.length === 0
            ? 'This scenario has no chat cluster, so its trace has no chat message to draw. Pick a cluster scenario such as group-chat.'
            : view.latestSentAtMs === null
              ? 'No chat message yet at this point of the run. Press Play, or send one from the chat panel.'
              : win !== null
                ? // The window slides with the playhead: after the workload ends it can be empty while the run has many messages.
                  `No message was sent${win.spanMs === null ? '' : ` in the ${formatVirtualTime(win.spanMs)} before ${formatVirtualTime(nowMs)}`}${win.channel === undefined ? '' : ` in ${win.channel}`}${win.user === undefined ? '' : ` by or to ${win.user}`}; the latest message was sent at ${formatVirtualTime(view.latestSentAtMs)}.`
                : 'No chat message matches at this point of the run.';
  const widen = win !== null && win.spanMs !== null && view !== null && view.messages.length === 0 && view.latestSentAtMs !== null;

  return (
    <section className="diagram sequence" aria-label="Sequence diagram">
      <div className="diagram-toolbar">
        <div className="segmented" role="radiogroup" aria-label="What to draw">
          {(
            [
              ['follow', 'Follow latest'],
              ['message', 'Pick a message'],
              ['window', 'Window'],
            ] as const
          ).map(([mode, label]) => (
            <button key={mode} type="button" role="radio" aria-checked={query.mode === mode} className={query.mode === mode ? 'is-selected' : ''} onClick={() => setMode(mode)}>
              {label}
            </button>
          ))}
        </div>

        {query.mode === 'message' ? (
          <div className="field inline grow">
            <label htmlFor={ids.pick}>Message</label>
            <select id={ids.pick} value={query.messageId ?? ''} onChange={(event) => onQuery({ mode: 'message', messageId: event.currentTarget.value, ...(connect ? { connect } : {}) })}>
              {view === null || view.catalog.length === 0 ? <option value="">no messages yet</option> : null}
              {[...(view?.catalog ?? [])].reverse().map((m) => (
                <option key={m.clientMsgId} value={m.id ?? ''} disabled={m.id === null}>
                  {`${m.id ?? m.clientMsgId} · ${m.author} → ${m.channel} · ${formatVirtualTime(m.sentAt)} · ${clip(m.text, 28)}`}
                </option>
              ))}
            </select>
          </div>
        ) : null}

        {win === null ? null : (
          <>
            <div className="field inline">
              <label htmlFor={ids.span}>Span</label>
              <select
                id={ids.span}
                value={win.spanMs === null ? 'all' : String(win.spanMs)}
                onChange={(event) => onQuery({ ...win, spanMs: event.currentTarget.value === 'all' ? null : Number(event.currentTarget.value) })}
              >
                {WINDOWS.map((w) => (
                  <option key={w.label} value={w.ms === null ? 'all' : String(w.ms)}>
                    {w.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field inline">
              <label htmlFor={ids.channel}>Channel</label>
              <select id={ids.channel} value={win.channel ?? ''} onChange={(event) => onQuery(withOptional(win, 'channel', event.currentTarget.value))}>
                <option value="">all</option>
                {channels.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </div>
            <div className="field inline">
              <label htmlFor={ids.user}>User</label>
              <select id={ids.user} value={win.user ?? ''} onChange={(event) => onQuery(withOptional(win, 'user', event.currentTarget.value))}>
                <option value="">all</option>
                {users.map((u) => (
                  <option key={u} value={u}>
                    {u}
                  </option>
                ))}
              </select>
            </div>
            <div className="field inline">
              <label htmlFor={ids.hops}>Hops</label>
              <select id={ids.hops} value={win.hops} onChange={(event) => onQuery({ ...win, hops: event.currentTarget.value as 'all' | 'client' })}>
                <option value="client">users’ view</option>
                <option value="all">every hop</option>
              </select>
            </div>
            <div className="field inline">
              <label htmlFor={ids.max}>At most</label>
              <select id={ids.max} value={String(win.maxChatMessages)} onChange={(event) => onQuery({ ...win, maxChatMessages: Number(event.currentTarget.value) })}>
                {[2, 4, 6, 10, 16].map((n) => (
                  <option key={n} value={n}>
                    {n} messages
                  </option>
                ))}
              </select>
            </div>
          </>
        )}

        {query.mode === 'window' ? null : (
          <label className="check" title="Also draw how the users on this path connected (gateway, server, session) and the presence updates that followed, before the message itself">
            <input type="checkbox" checked={connect} onChange={(event) => onQuery({ ...query, connect: event.currentTarget.checked })} />
            Connects and presence
          </label>
        )}
        <label className="check">
          <input type="checkbox" checked={fit} onChange={(event) => setFit(event.currentTarget.checked)} />
          Fit width
        </label>
        <ExportButtons
          label="Export the sequence diagram"
          disabled={view === null || view.messages.length === 0}
          actions={[
            { label: 'Copy Mermaid', done: 'Mermaid source copied', icon: 'copy', run: () => copyText(drawn) },
            { label: '.mmd', done: 'Mermaid source saved', run: () => downloadText(`${fileStem}.mmd`, drawn) },
            { label: 'SVG', done: 'SVG saved', run: () => downloadText(`${fileStem}.svg`, svgText(), 'image/svg+xml') },
            { label: 'PNG', done: 'PNG saved', run: async () => downloadBlob(`${fileStem}.png`, await svgToPng(svgText(), { background: themeBackground() })) },
          ]}
        />
      </div>

      <p className="diagram-caption" aria-live="polite">
        <span data-testid="sequence-header">{header}</span>
        {view?.capped === true ? <span className="tag tag-warn">capped: some arrows or notes left out</span> : null}
        {view !== null && view.catalogTotal > view.catalog.length ? <span className="tag">{`picker lists the newest ${view.catalog.length} of ${view.catalogTotal}`}</span> : null}
        {stale ? <span className="tag">playing: redrawn every 2 s</span> : null}
      </p>

      <div className="sequence-scroll">
        {view === null || view.messages.length === 0 ? (
          <div className="empty-state">
            <p>{header}</p>
            {widen && win !== null ? (
              <button type="button" className="small" onClick={() => onQuery({ ...win, spanMs: null })}>
                Show the whole run
              </button>
            ) : null}
          </div>
        ) : (
          <MermaidView ref={mermaidRef} text={drawn} theme={theme} fit={fit} label={`Sequence diagram: ${header}`} />
        )}
      </div>
    </section>
  );
}

export default SequencePanel;
