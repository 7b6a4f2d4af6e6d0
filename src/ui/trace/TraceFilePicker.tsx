import { useRef, useState } from 'react';
import { Icon } from '../components/Icon.tsx';

export interface TraceFilePickerProps {
  /**
   * Opens a trace file's text; resolves when the page shows it or has said what is wrong with it
   * (the session's notice names the line).
   */
  readonly onOpen: (text: string, name: string) => Promise<unknown>;
  readonly disabled?: boolean;
}

/**
 * Picks or takes a dropped trace file (JSON lines, as `sim run --trace` or the report panel's
 * "Trace JSONL" write) and hands its text on to be checked and browsed read-only. Only reading the
 * file can fail here; what is wrong inside it is said by whoever checks it.
 */
export function TraceFilePicker({ onOpen, disabled = false }: TraceFilePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);

  const open = async (file: File | undefined) => {
    if (file === undefined) return;
    setBusy(true);
    setReadError(null);
    try {
      const text = await file.text();
      await onOpen(text, file.name);
    } catch (error) {
      setReadError(`${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
      if (input.current !== null) input.current.value = '';
    }
  };

  return (
    <div
      className={`trace-picker${dragging ? ' is-dragging' : ''}`}
      data-testid="trace-picker"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void open(event.dataTransfer.files[0]);
      }}
    >
      <button type="button" className="small" disabled={disabled || busy} onClick={() => input.current?.click()}>
        <Icon name="copy" size={14} />
        Open a trace file…
      </button>
      <input ref={input} type="file" hidden accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,text/plain" aria-label="Trace file (JSON lines)" onChange={(event) => void open(event.currentTarget.files?.[0])} />
      <span className="hint">
        or drop one here: a <code>sim run --trace</code> file or a “Trace JSONL” export, browsed read-only
      </span>
      {readError === null ? null : (
        <span role="alert" className="trace-picker-error">
          {readError}
        </span>
      )}
    </div>
  );
}
