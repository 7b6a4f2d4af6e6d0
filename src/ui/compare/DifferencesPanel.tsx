import type { Comparison, FigureDiff } from '../../workbench/index.ts';

export interface DifferencesPanelProps {
  /** The comparison, or null while it is computed. */
  readonly comparison: Comparison | null;
  /** Why there is none (a side could not run), or null. */
  readonly error: string | null;
  /** Puts both playheads just after `atMs` and draws the send `clientMsgId` in both panes. */
  readonly onJump: (atMs: number, clientMsgId: string | null) => void;
  readonly disabled?: boolean;
}

/** A figure's value as the report prints it: integers grouped, others to three decimals. */
function value(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(3);
}

function betterText(d: FigureDiff): string {
  return d.better === null ? '—' : d.better === 'a' ? 'A' : 'B';
}

/** Checkers' violations first (what the lesson is about), then the other figures by name. */
function ordered(diff: readonly FigureDiff[]): FigureDiff[] {
  const rank = (d: FigureDiff): number => (d.figure.startsWith('violations.') ? 0 : d.figure.startsWith('counts.') ? 1 : d.figure.startsWith('latencyMs.') ? 2 : 3);
  return [...diff].sort((x, y) => rank(x) - rank(y) || x.figure.localeCompare(y.figure));
}

/**
 * The differences between A and B: the first moment a user saw a difference and the first event
 * where the traces part ways, each with a button that jumps both panes there, then every report
 * figure that differs with both values and which side is better. Everything read from the two
 * real runs (the workbench's `compare`).
 */
export function DifferencesPanel({ comparison, error, onJump, disabled = false }: DifferencesPanelProps) {
  if (error !== null) {
    return (
      <section className="compare-diff" aria-label="Differences" data-testid="differences" data-state="error">
        <h2>Differences</h2>
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (comparison === null) {
    return (
      <section className="compare-diff" aria-label="Differences" data-testid="differences" data-state="computing">
        <h2>Differences</h2>
        <p className="empty" role="status">
          Running both to their end…
        </p>
      </section>
    );
  }
  const { shown, raw, reportDiff, a, b } = comparison;
  return (
    <section className="compare-diff" aria-label="Differences" data-testid="differences" data-state="done" data-shown-at={shown?.atMs ?? ''}>
      <h2>Differences</h2>
      <div className="compare-divergence" data-testid="first-shown">
        <h3>First difference a user sees</h3>
        {shown === null ? (
          <p>Every user saw the same messages in the same order on both sides.</p>
        ) : (
          <>
            <p>
              At {(shown.atMs / 1000).toFixed(3)} s, <strong>{shown.user}</strong> in <strong>{shown.channel}</strong>, message {shown.position + 1}:
            </p>
            <dl className="compare-sides">
              <dt>A showed</dt>
              <dd data-testid="shown-a">{shown.a === null ? 'nothing yet' : `${shown.a.author}'s ${shown.a.clientMsgId}`}</dd>
              <dt>B showed</dt>
              <dd data-testid="shown-b">{shown.b === null ? 'nothing yet' : `${shown.b.author}'s ${shown.b.clientMsgId}`}</dd>
            </dl>
            <button type="button" className="primary" disabled={disabled} onClick={() => onJump(shown.atMs, shown.clientMsgId)}>
              Jump to it
            </button>
          </>
        )}
      </div>
      <div className="compare-divergence" data-testid="first-raw">
        <h3>First event that differs</h3>
        {raw === null ? (
          <p>The two traces are identical, event for event.</p>
        ) : (
          <>
            <p>{raw.summary}</p>
            <button type="button" disabled={disabled} onClick={() => onJump(raw.atMs, null)}>
              Jump to the first differing event
            </button>
          </>
        )}
      </div>
      <h3>Report figures that differ</h3>
      {reportDiff.length === 0 ? (
        <p>None: both reports are the same figure for figure.</p>
      ) : (
        <table className="compare-table" data-testid="report-diff">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">B − A</th>
              <th scope="col">Better</th>
            </tr>
          </thead>
          <tbody>
            {ordered(reportDiff).map((d) => (
              <tr key={d.figure} data-figure={d.figure} data-better={d.better ?? ''} className={d.better === null ? '' : `better-${d.better}`}>
                <th scope="row">{d.figure}</th>
                <td data-side="a">{value(d.a)}</td>
                <td data-side="b">{value(d.b)}</td>
                <td>
                  {d.delta > 0 ? '+' : ''}
                  {value(d.delta)}
                </td>
                <td>{betterText(d)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="compare-hashes">
        End of the runs: A <span className="mono" data-testid="end-hash-a">{a.traceHash}</span> ({a.events.toLocaleString('en-US')} events), B{' '}
        <span className="mono" data-testid="end-hash-b">{b.traceHash}</span> ({b.events.toLocaleString('en-US')} events)
        {a.truncated || b.truncated ? '; a trace was too long to keep whole, so the divergences cover the events kept' : ''}.
      </p>
    </section>
  );
}
