import { memo, useState } from 'react';
import type { RunReport, Violation } from '../../sim/index.ts';
import type { TraceExportFormat } from '../../workbench/index.ts';
import { downloadText, flatCsv } from '../export.ts';
import { ExportButtons, type ExportAction } from './ExportButtons.tsx';
import { formatCount, formatVirtualTime } from '../format.ts';
import { byMoment, violationKey as keyOf } from '../hooks/useRunViolations.ts';

/** A checker's finding, with what it is about as data. */
export type ReportViolation = Violation;

/**
 * The server id of the message a violation is about, from its structured subject (checkers fill
 * it in; the sentence is for people, never parsed).
 *
 * @example
 * messageIdOf({ checker: 'ordering', seq: 9, at: 5, message: 'u3 saw m5 after m6', subject: { messageId: 'm5' } }); // 'm5'
 */
export function messageIdOf(v: ReportViolation): string | undefined {
  return v.subject.messageId;
}

export interface ReportPanelProps {
  /** The run's report so far; null while loading or for the kernel demo. */
  readonly report: RunReport | null;
  /**
   * Every violation of the run found so far, kept when the playhead goes back (the report only
   * covers the trace up to the playhead). Default: the report's own.
   */
  readonly violations?: readonly ReportViolation[];
  /**
   * True while the scenario's settle period is not over: liveness findings (a message "never
   * shown") are then messages still on their way, listed apart and not counted as violations.
   */
  readonly provisional?: boolean;
  /** The playhead now, read when needed (so the panel does not re-render on every frame). */
  readonly nowOf?: () => number;
  /** Moves the playhead to a violation's moment. */
  readonly onJump: (violation: ReportViolation) => void;
  /** The name of a downloaded report, without extension; no download button without it. */
  readonly fileStem?: string;
  /**
   * The run's trace up to the playhead as a file (the workbench's `exportTrace`), and its file
   * name without extension; no trace buttons without it.
   */
  readonly traceExport?: { readonly stem: string; readonly load: (format: TraceExportFormat) => Promise<string> };
}

/**
 * The panel's files: the report as JSON and as CSV ({@link flatCsv}'s `field,value` layout), and,
 * when the page can load it, the trace up to the playhead as JSONL (what `sim run --trace` writes)
 * and as a Perfetto / Chrome trace.
 */
export function reportActions(report: RunReport, fileStem: string | undefined, traceExport: ReportPanelProps['traceExport']): ExportAction[] {
  const out: ExportAction[] = [];
  if (fileStem !== undefined) {
    out.push(
      { label: 'Download JSON', done: 'JSON saved', run: () => downloadText(`${fileStem}.json`, JSON.stringify(report, null, 2) + '\n', 'application/json') },
      { label: 'Download CSV', done: 'CSV saved', run: () => downloadText(`${fileStem}.csv`, flatCsv(report), 'text/csv') },
    );
  }
  if (traceExport !== undefined) {
    out.push(
      { label: 'Trace JSONL', done: 'Trace saved', run: async () => downloadText(`${traceExport.stem}.jsonl`, await traceExport.load('jsonl'), 'application/x-ndjson') },
      { label: 'Perfetto trace', done: 'Perfetto trace saved (open it at ui.perfetto.dev)', run: async () => downloadText(`${traceExport.stem}.perfetto.json`, await traceExport.load('perfetto'), 'application/json') },
    );
  }
  return out;
}

/** Violations listed at most; the count above the list is always complete. */
export const MAX_VIOLATIONS_LISTED = 100;

/**
 * Checkers that judge liveness ("eventually shown"), which the report runs as if the run ended
 * now. Before the scenario's end their findings are provisional.
 */
export const LIVENESS_CHECKERS: ReadonlySet<string> = new Set(['lost', 'lost-sends']);

/** The violations that stand now, and the liveness findings still provisional. */
export function splitViolations<V extends { checker: string }>(violations: readonly V[], provisional: boolean): { standing: V[]; pending: V[] } {
  if (!provisional) return { standing: [...violations], pending: [] };
  return { standing: violations.filter((v) => !LIVENESS_CHECKERS.has(v.checker)), pending: violations.filter((v) => LIVENESS_CHECKERS.has(v.checker)) };
}

const COUNTS: readonly { key: keyof RunReport['counts']; label: string; bad?: boolean; hint: string }[] = [
  { key: 'sent', label: 'Sent', hint: 'Messages users sent (first attempts)' },
  { key: 'persisted', label: 'Persisted', hint: 'Messages the database confirmed' },
  { key: 'delivered', label: 'Shown', hint: 'Messages shown to users (every recipient counts)' },
  { key: 'duplicatesShown', label: 'Duplicates', bad: true, hint: 'Times a user was shown a message they already saw' },
  { key: 'outOfOrderShown', label: 'Out of stored order', bad: true, hint: 'The channel’s agreed order: times a message was shown after one stored later in its channel' },
  { key: 'senderOrderBroken', label: 'Sender order broken', bad: true, hint: 'Each sender’s own order: times a user saw a sender’s message after a later one of the same sender' },
  { key: 'causalBroken', label: 'Causal order broken', bad: true, hint: 'Times a user saw a reply before the message it answers' },
  { key: 'lost', label: 'Lost', bad: true, hint: 'Messages never shown to an online member by the end of the settle period' },
  { key: 'acked', label: 'Acked', hint: 'Sends the server acknowledged to their sender' },
  { key: 'failedShown', label: 'Failed (error shown)', hint: 'Sends that failed with an error on the sender’s screen' },
  { key: 'pending', label: 'Pending', hint: 'Sends with no ack and no error yet that someone was shown' },
  { key: 'lostSends', label: 'Sends lost', bad: true, hint: 'Sends that vanished: no ack, no error shown, nobody shown them' },
  { key: 'rateLimited', label: 'Rate limited', hint: 'Sends refused with RATE_LIMITED' },
  { key: 'forbidden', label: 'Forbidden', hint: 'Sends refused with FORBIDDEN' },
];

/** Two figures as `a / b`. */
function pair(a: number, b: number): string {
  return `${formatCount(a)} / ${formatCount(b)}`;
}

/**
 * The transport's costs: bytes, requests, handshakes and held connections, with keep-alive
 * traffic apart from chat traffic, whose per-message figures do not grow with the run's length.
 */
function TransportCosts({ transport: t }: { readonly transport: RunReport['transport'] }) {
  const rows: readonly { key: string; label: string; hint: string; value: string }[] = [
    { key: 'bytes', label: 'Bytes, last mile / back end', hint: 'Bytes sent on client ↔ gateway links, and between back-end nodes', value: pair(t.lastMileBytes, t.backEndBytes) },
    { key: 'requests', label: 'HTTP requests, POST / poll', hint: 'SSE and long polling send every client frame as a POST; long polling also holds polls', value: pair(t.httpPostRequests, t.httpPollRequests) },
    {
      key: 'data-calls',
      label: 'HTTP data calls, requests / connections',
      hint: 'History fetches and presence queries sent as HTTP/1.1 requests of their own (dataCalls: http), and the kept-alive connections they opened; 0 when they travel on the stream',
      value: pair(t.httpDataRequests, t.httpDataConnections),
    },
    { key: 'handshakes', label: 'Handshakes, connect / login', hint: 'Connects (WebSocket upgrade, first GET, or a raw TCP stream’s connect frame) and logins sent, retries included', value: pair(t.connectHandshakes, t.loginHandshakes) },
    { key: 'handshake-bytes', label: 'Connect handshake bytes', hint: 'The connects’ bytes on the last mile: the frame and what the transport adds to open the stream (TCP and TLS handshakes not counted)', value: formatCount(t.connectHandshakeBytes) },
    { key: 'connections', label: 'Connections held, now / peak', hint: 'Client connections open now, and the most open at once', value: pair(t.connectionsHeldAtEnd, t.connectionsHeldPeak) },
    {
      key: 'keep-alive',
      label: 'Keep-alive, messages / bytes',
      hint: 'Pings, pongs, health checks, broker pings, presence heartbeats, long polls answered empty: they grow with time, not with messages',
      value: pair(t.keepAlive.networkMessages, t.keepAlive.bytes),
    },
    {
      key: 'per-message',
      label: 'Chat traffic per persisted message, bytes / messages',
      hint: 'Chat traffic only (keep-alives left out), so it does not grow with the run’s length',
      value: pair(Number(t.chatBytesPerStoredMessage.toFixed(0)), Number(t.chatNetworkMessagesPerStoredMessage.toFixed(1))),
    },
  ];
  return (
    <>
      <h3 className="section-title">Transport</h3>
      <dl className="kv">
        {rows.map((r) => (
          <div key={r.key} title={r.hint}>
            <dt>{r.label}</dt>
            <dd data-testid={`transport-${r.key}`}>{r.value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/**
 * The run's report: what was sent, stored and shown, how long it took, what the design cost in
 * messages and on the transport, and every invariant the checkers saw broken, each a button that jumps to its moment.
 */
export const ReportPanel = memo(function ReportPanel({ report, violations, onJump, provisional = false, nowOf, fileStem, traceExport }: ReportPanelProps) {
  const [checker, setChecker] = useState<string>('');
  // The violation last jumped to, so "next" and "previous" step through the list from it.
  const [current, setCurrent] = useState<string | null>(null);
  if (report === null) {
    return (
      <section className="report" aria-label="Report">
        <p className="empty">No report: this scenario has no chat cluster, or it is still loading.</p>
      </section>
    );
  }
  const all: readonly ReportViolation[] = violations ?? report.violations;
  const { standing, pending } = splitViolations([...all].sort(byMoment), provisional);
  const byChecker = new Map<string, number>();
  for (const v of standing) byChecker.set(v.checker, (byChecker.get(v.checker) ?? 0) + 1);
  const filtered = checker === '' ? standing : standing.filter((v) => v.checker === checker);
  const listed = filtered.slice(0, MAX_VIOLATIONS_LISTED);
  const jump = (v: ReportViolation): void => {
    setCurrent(keyOf(v));
    onJump(v);
  };
  // Next and previous step from the violation last jumped to, or else from the playhead (a jump
  // lands just after its violation, so that one counts as behind).
  const at = filtered.findIndex((v) => keyOf(v) === current);
  const now = nowOf?.() ?? 0;
  const next = at >= 0 ? filtered[at + 1] : filtered.find((v) => v.at >= now);
  const previous = at >= 0 ? filtered[at - 1] : [...filtered].reverse().find((v) => v.at < now - 1);
  const ahead = nowOf === undefined ? 0 : standing.filter((v) => v.at >= now).length;
  return (
    <section className="report" aria-label="Report">
      <div className="report-actions">
        <span className="hint">
          As if the run ended at the playhead: the same report as <code>npm run sim -- run --json</code> for this seed up to this moment.
        </span>
        {fileStem === undefined && traceExport === undefined ? null : <ExportButtons label="Export the report and the trace" actions={reportActions(report, fileStem, traceExport)} />}
      </div>
      <h3 className="section-title">Messages</h3>
      <dl className="stat-grid">
        {COUNTS.map((c) => {
          const value = report.counts[c.key];
          // Before the settle period is over, "lost" and "sends lost" count messages still on their way.
          const pendingLost = provisional && (c.key === 'lost' || c.key === 'lostSends');
          return (
            <div key={c.key} className={`stat${c.bad === true && value > 0 && !pendingLost ? ' is-bad' : ''}`} title={pendingLost ? 'Not settled yet; judged lost only after the settle period' : c.hint}>
              <dt>{pendingLost ? (c.key === 'lost' ? 'Not shown yet' : 'Sends unsettled') : c.label}</dt>
              <dd data-testid={`count-${c.key}`}>{formatCount(value)}</dd>
            </div>
          );
        })}
      </dl>

      <h3 className="section-title">Latency, send → shown</h3>
      {report.latencyMs === null ? (
        <p className="empty">No message was shown yet, so there is no latency to report.</p>
      ) : (
        <dl className="stat-grid four">
          {(['p50', 'p90', 'p99', 'max'] as const).map((p) => (
            <div key={p} className="stat">
              <dt>{p}</dt>
              <dd>
                {formatCount(report.latencyMs?.[p] ?? 0)}
                <span className="unit"> ms</span>
              </dd>
            </div>
          ))}
        </dl>
      )}

      <h3 className="section-title">Cost of the design</h3>
      <dl className="kv">
        <div>
          <dt>Network messages per persisted message</dt>
          <dd>{report.messagesPerPersisted.toFixed(1)}</dd>
        </div>
        <div>
          <dt>Broker lag (max / final)</dt>
          <dd>
            {report.brokerLag.max} / {report.brokerLag.final}
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{formatCount(report.events)}</dd>
        </div>
      </dl>
      <TransportCosts transport={report.transport} />
      {report.truncated ? <p className="notice">The trace store is full: later events were not kept, but counts and the hash cover every event.</p> : null}

      <h3 className="section-title">
        Violations <span className={`count-pill${standing.length > 0 ? ' is-bad' : ' is-good'}`}>{formatCount(standing.length)}</span>
      </h3>
      {pending.length > 0 ? (
        <p className="hint" data-testid="pending-liveness">
          {`${formatCount(pending.length)} ${pending.length === 1 ? 'delivery' : 'deliveries'} still on the way: whether a message is lost is judged when the scenario's settle period is over.`}
        </p>
      ) : null}
      {ahead > 0 ? <p className="hint" data-testid="violations-ahead">{`${formatCount(ahead)} of them ${ahead === 1 ? 'happens' : 'happen'} after the playhead: found when the run got there.`}</p> : null}
      {standing.length === 0 ? (
        <p className="good-news">{provisional ? 'No checker has found a problem so far.' : 'Every checker is happy: order held, nothing duplicated, nothing acknowledged was lost.'}</p>
      ) : (
        <>
          <div className="chip-row" role="radiogroup" aria-label="Checker">
            <button type="button" role="radio" aria-checked={checker === ''} className={`chip${checker === '' ? ' is-selected' : ''}`} onClick={() => setChecker('')}>
              all <span className="chip-count">{standing.length}</span>
            </button>
            {[...byChecker].map(([name, n]) => (
              <button key={name} type="button" role="radio" aria-checked={checker === name} className={`chip${checker === name ? ' is-selected' : ''}`} onClick={() => setChecker(name)}>
                {name} <span className="chip-count">{n}</span>
              </button>
            ))}
          </div>
          <div className="violation-nav" role="group" aria-label="Step through violations">
            <button type="button" className="small" disabled={previous === undefined} onClick={() => previous !== undefined && jump(previous)}>
              <span aria-hidden="true">←</span> Previous violation
            </button>
            <span className="violation-pos" aria-live="polite">
              {at >= 0 ? `${formatCount(at + 1)} of ${formatCount(filtered.length)}` : `${formatCount(filtered.length)} listed`}
            </span>
            <button type="button" className="small" disabled={next === undefined} onClick={() => next !== undefined && jump(next)}>
              Next violation <span aria-hidden="true">→</span>
            </button>
          </div>
          <ul className="violations" aria-label="Violations">
            {listed.map((v) => (
              <li key={keyOf(v)}>
                <button
                  type="button"
                  className={`violation${keyOf(v) === current ? ' is-current' : ''}`}
                  aria-current={keyOf(v) === current ? 'true' : undefined}
                  onClick={() => jump(v)}
                  title={`Jump to ${formatVirtualTime(v.at)}`}
                >
                  <span className="violation-when mono">{formatVirtualTime(v.at)}</span>
                  <span className="violation-checker">{v.checker}</span>
                  <span className="violation-text">{v.message}</span>
                </button>
              </li>
            ))}
          </ul>
          {filtered.length > listed.length ? <p className="hint">{`Showing the first ${listed.length} of ${formatCount(filtered.length)}.`}</p> : null}
        </>
      )}
    </section>
  );
});
