import { memo, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { TraceEvent } from '../../sim/index.ts';
import type { TablePage, TableQuery, TableRow } from '../../workbench/index.ts';
import { formatCount, formatVirtualTime } from '../format.ts';

export interface EventTableProps {
  /** The newest matching events up to the playhead; null while loading. */
  readonly page: TablePage | null;
  readonly query: TableQuery;
  readonly onQuery: (query: TableQuery) => void;
  /** Moves the playhead to an event's time. */
  readonly onSeek: (atMs: number) => void;
  /** Shows a chat message's path in the sequence diagram. */
  readonly onShowMessage?: (messageId: string) => void;
  /** Fetches one event in full, for the details pane. */
  readonly loadEvent?: (seq: number) => Promise<TraceEvent | null>;
}

const PAGE = 200;
const NO_ROWS: readonly TableRow[] = [];

/** The colour family of an event, by its domain. */
function tone(type: string): string {
  if (type.startsWith('op/')) return 'op';
  if (type.startsWith('net/messageDropped') || type.endsWith('Rejected') || type.endsWith('rejected') || type.endsWith('Failed') || type.includes('Dropped')) return 'bad';
  if (type.startsWith('net/')) return 'net';
  if (type.startsWith('client/')) return 'client';
  if (type.startsWith('limiter/')) return 'limiter';
  return 'other';
}

/**
 * A filterable mirror of the trace up to the playhead, newest last. Rows are one tab stop: the
 * arrow keys, Home, End and Page keys move between them, Enter opens an event's details (with a
 * jump to its moment and, for a chat message, its path in the sequence diagram).
 */
export const EventTable = memo(function EventTable({ page, query, onQuery, onSeek, onShowMessage, loadEvent }: EventTableProps) {
  const ids = { text: useId(), domain: useId(), caption: useId() };
  const rows = page?.rows ?? NO_ROWS;
  const [focusSeq, setFocusSeq] = useState<number | null>(null);
  const [openSeq, setOpenSeq] = useState<number | null>(null);
  const [detail, setDetail] = useState<TraceEvent | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const rowRefs = useRef(new Map<number, HTMLTableRowElement>());
  const stick = useRef(true);

  const focusIndex = Math.max(0, rows.findIndex((r) => r.seq === focusSeq));
  const tabSeq = focusSeq !== null && rows.some((r) => r.seq === focusSeq) ? focusSeq : (rows.at(-1)?.seq ?? null);

  // Follow the newest event unless the person is reading further up.
  useEffect(() => {
    const el = scroller.current;
    if (el !== null && stick.current && openSeq === null) el.scrollTop = el.scrollHeight;
  }, [rows, openSeq]);

  useEffect(() => {
    if (openSeq === null || loadEvent === undefined) {
      setDetail(null);
      return;
    }
    let live = true;
    void loadEvent(openSeq).then((e) => {
      if (live) setDetail(e);
    });
    return () => {
      live = false;
    };
  }, [openSeq, loadEvent]);

  const moveTo = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row === undefined) return;
    setFocusSeq(row.seq);
    rowRefs.current.get(row.seq)?.focus();
  };

  const onKey = (event: KeyboardEvent<HTMLTableSectionElement>, row: TableRow) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(focusIndex + 1),
      ArrowUp: () => moveTo(focusIndex - 1),
      PageDown: () => moveTo(focusIndex + 10),
      PageUp: () => moveTo(focusIndex - 10),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      Enter: () => setOpenSeq(openSeq === row.seq ? null : row.seq),
      ' ': () => setOpenSeq(openSeq === row.seq ? null : row.seq),
      Escape: () => setOpenSeq(null),
    };
    const action = keys[event.key];
    if (action === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };

  const open = rows.find((r) => r.seq === openSeq) ?? null;
  const domains = page?.domains ?? [];
  const domain = query.domains?.[0] ?? '';

  return (
    <section className="event-table" aria-label="Event table">
      <div className="filters">
        <div className="field grow">
          <label htmlFor={ids.text} className="visually-hidden">
            Filter events
          </label>
          <input
            id={ids.text}
            type="search"
            placeholder="Filter: type, node or text (m12, ws-2, rejected…)"
            value={query.text ?? ''}
            onChange={(event) => onQuery({ ...query, text: event.currentTarget.value })}
          />
        </div>
        <div className="field inline">
          <label htmlFor={ids.domain}>Domain</label>
          <select id={ids.domain} value={domain} onChange={(event) => onQuery({ ...query, domains: event.currentTarget.value === '' ? [] : [event.currentTarget.value] })}>
            <option value="">all</option>
            {domains.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={query.hideNet === true} onChange={(event) => onQuery({ ...query, hideNet: event.currentTarget.checked })} />
          Hide network hops
        </label>
        <label className="check">
          <input type="checkbox" checked={query.hideTimers === true} onChange={(event) => onQuery({ ...query, hideTimers: event.currentTarget.checked })} />
          Hide timers
        </label>
      </div>

      <p className="table-status" id={ids.caption} aria-live="polite">
        {page === null
          ? 'Loading events…'
          : page.matched === 0
            ? `No events match (of ${formatCount(page.total)}).`
            : `${page.capped ? `Newest ${formatCount(rows.length)} of ` : ''}${formatCount(page.matched)} matching event${page.matched === 1 ? '' : 's'} (of ${formatCount(page.total)})`}
        {page?.capped === true ? (
          <button type="button" className="link-button" onClick={() => onQuery({ ...query, limit: (query.limit ?? PAGE) + PAGE })}>
            Show {PAGE} more
          </button>
        ) : null}
      </p>

      <div
        className="table-scroll"
        ref={scroller}
        onScroll={(event) => {
          const el = event.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
        }}
      >
        <table aria-describedby={ids.caption} data-testid="event-list">
          <caption className="visually-hidden">Trace events up to the playhead, newest last. Arrow keys move between rows; Enter shows an event's details.</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Time
              </th>
              <th scope="col">Node</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.seq}
                ref={(el) => {
                  if (el === null) rowRefs.current.delete(row.seq);
                  else rowRefs.current.set(row.seq, el);
                }}
                tabIndex={row.seq === tabSeq ? 0 : -1}
                aria-selected={row.seq === openSeq}
                aria-label={`${row.type} at ${formatVirtualTime(row.at)} on ${row.node}, event ${row.seq}. ${row.summary}`}
                className={`tone-${tone(row.type)}${row.seq === openSeq ? ' is-open' : ''}`}
                onFocus={() => setFocusSeq(row.seq)}
                onClick={() => setOpenSeq(openSeq === row.seq ? null : row.seq)}
                onKeyDown={(event) => onKey(event as unknown as KeyboardEvent<HTMLTableSectionElement>, row)}
              >
                <td className="num mono">{(row.at / 1000).toFixed(3)}</td>
                <td className="mono node-cell">{row.node}</td>
                <td>
                  <span className="event-type">{row.type}</span>
                  {row.summary === '' ? null : <span className="event-summary">{row.summary}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {open === null ? null : (
        <div className="event-detail" role="region" aria-label={`Details of event ${open.seq}`}>
          <div className="detail-head">
            <strong>{open.type}</strong>
            <span className="mono">
              #{open.seq} · {formatVirtualTime(open.at)} · {open.node}
              {open.causeSeq === null ? '' : ` · caused by #${open.causeSeq}`}
            </span>
          </div>
          <div className="detail-actions">
            <button type="button" onClick={() => onSeek(open.at)}>
              Jump to {formatVirtualTime(open.at)}
            </button>
            {open.messageId !== null && onShowMessage !== undefined ? (
              <button type="button" onClick={() => onShowMessage(open.messageId as string)}>
                Show {open.messageId}'s path
              </button>
            ) : null}
            <button type="button" className="link-button" onClick={() => setOpenSeq(null)}>
              Close
            </button>
          </div>
          <pre className="detail-json">{detail === null ? open.summary : JSON.stringify(detail.data, null, 2)}</pre>
        </div>
      )}
    </section>
  );
});
