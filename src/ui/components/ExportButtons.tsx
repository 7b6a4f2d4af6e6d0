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
  const [status, setStatus] = useState('');
  useEffect(() => {
    if (status === '') return;
    const timer = setTimeout(() => setStatus(''), 2500);
    return () => clearTimeout(timer);
  }, [status]);
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
