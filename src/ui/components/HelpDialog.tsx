import { useEffect, useRef } from 'react';

/** Every keyboard shortcut, as the help dialog lists it (and `useShortcuts` implements it). */
export const SHORTCUTS: readonly { keys: readonly string[]; action: string }[] = [
  { keys: ['Space'], action: 'Play or pause' },
  { keys: ['→'], action: 'Step: process the next event' },
  { keys: ['Shift', '←'], action: 'Seek back 1 s' },
  { keys: ['Shift', '→'], action: 'Seek forward 1 s' },
  { keys: ['Alt', '←'], action: 'Seek back 100 ms' },
  { keys: ['Alt', '→'], action: 'Seek forward 100 ms' },
  { keys: ['Home'], action: 'Back to the start' },
  { keys: ['End'], action: 'To the furthest point reached' },
  { keys: ['['], action: 'Slower' },
  { keys: [']'], action: 'Faster' },
  { keys: ['1'], action: 'Sequence diagram' },
  { keys: ['2'], action: 'Pub/sub diagram' },
  { keys: ['3'], action: 'Rate-limit timeline' },
  { keys: ['T'], action: 'Light or dark theme' },
  { keys: ['?'], action: 'This help' },
];

export interface HelpDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
}

/** The keyboard shortcuts and a few words on reading the screen, in a modal dialog. */
export function HelpDialog({ open, onClose }: HelpDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help-dialog" aria-labelledby="help-title" onClose={onClose} onCancel={onClose}>
      <div className="dialog-head">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <button type="button" className="icon-button" onClick={onClose}>
          <span aria-hidden="true">✕</span>
          <span className="visually-hidden">Close</span>
        </button>
      </div>
      <table className="shortcuts">
        <caption className="visually-hidden">Keyboard shortcuts</caption>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <th scope="row">
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 ? ' + ' : ''}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </th>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Reading the screen</h3>
      <ul className="help-notes">
        <li>The cluster runs in virtual time in a Web Worker; the playhead is where you are in that time. The same scenario and seed always give the same run.</li>
        <li>Faults you inject and messages you send stay on the timeline: scrub back before one and play again, and it happens again.</li>
        <li>The sequence diagram draws a message's real path with delivery times on the arrows; in window mode, deliveries that overtook an earlier message are marked out of order.</li>
        <li>Shortcuts are off while you type in a field.</li>
        <li>
          When presenting (the toolbar's Present), <kbd>PageDown</kbd> and <kbd>PageUp</kbd> (a presentation clicker), or <kbd>→</kbd> and <kbd>←</kbd>, go to the lesson's next and previous moment, in the presenter's and the audience's window alike; Step stays on the toolbar.
        </li>
      </ul>
    </dialog>
  );
}
