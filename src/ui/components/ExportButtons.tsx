import { useEffect, useState } from 'react';
import { Icon, type IconName } from './Icon.tsx';

export interface ExportAction {
  readonly label: string;
  /** What the status line says once it worked. */
  readonly done: string;
  readonly icon?: IconName;
  readonly run: () => Promise<unknown> | unknown;
}

/** A compact group of export buttons with a polite status line ("SVG saved"). */
export function ExportButtons({ label, actions, disabled = false }: { label: string; actions: readonly ExportAction[]; disabled?: boolean }) {
  // Each outcome is a new object, so saving the same file twice restarts the 2.5 s the line shows
  // for (with the text alone as state, the second "SVG saved" was wiped by the first one's timer).
  const [outcome, setOutcome] = useState<{ readonly text: string } | null>(null);
  const setStatus = (text: string) => setOutcome({ text });
  useEffect(() => {
    if (outcome === null) return;
    const timer = setTimeout(() => setOutcome(null), 2500);
    return () => clearTimeout(timer);
  }, [outcome]);
  const status = outcome?.text ?? '';
  return (
    <div className="export-buttons" role="group" aria-label={label}>
      {actions.map((a) => (
        <button
          key={a.label}
          type="button"
          className="small"
          disabled={disabled}
          onClick={async () => {
            try {
              const result = await a.run();
              setStatus(result === false ? `${a.label} failed` : a.done);
            } catch (error) {
              setStatus(`${a.label} failed: ${error instanceof Error ? error.message : String(error)}`);
            }
          }}
        >
          <Icon name={a.icon ?? 'download'} size={14} />
          {a.label}
        </button>
      ))}
      <output className="export-status" aria-live="polite">
        {status}
      </output>
    </div>
  );
}
