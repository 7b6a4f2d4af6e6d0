import type { ReactNode } from 'react';

/** What both checks' findings have in common. */
export interface FindingLike {
  readonly code: string;
  readonly severity: 'error' | 'note';
  readonly title: string;
  readonly explanation: string;
}

/** "2 differences to fix, 1 note." or, with none, the check's own all-clear sentence. */
export function summaryText(findings: readonly FindingLike[], allClear: string): string {
  if (findings.length === 0) return allClear;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const notes = findings.length - errors;
  return `${errors} difference${errors === 1 ? '' : 's'} to fix${notes > 0 ? `, ${notes} note${notes === 1 ? '' : 's'}` : ''}.`;
}

/** A check's summary line and its numbered findings, each with its links (`linksOf`). */
export function Findings<F extends FindingLike>({ findings, allClear, linksOf }: { readonly findings: readonly F[]; readonly allClear: string; readonly linksOf: (f: F) => ReactNode }) {
  const ok = !findings.some((f) => f.severity === 'error');
  return (
    <>
      <p className={ok ? 'whiteboard-summary is-ok' : 'whiteboard-summary is-wrong'} role="status" data-testid="check-summary">
        {summaryText(findings, allClear)}
      </p>
      <ol className="whiteboard-findings" aria-label="Differences">
        {findings.map((f, i) => (
          <li key={`${f.code}-${i}`} className={`whiteboard-finding is-${f.severity}`} data-code={f.code}>
            <span className="whiteboard-badge">{f.severity === 'error' ? 'Fix' : 'Note'}</span> <strong>{f.title}</strong>
            <p>{f.explanation}</p>
            <div className="whiteboard-links">{linksOf(f)}</div>
          </li>
        ))}
      </ol>
    </>
  );
}
