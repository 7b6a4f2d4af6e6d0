import { useEffect, useRef } from 'react';

/** What the workbench's keys do (see `SHORTCUTS` in HelpDialog for the list people read). */
export interface ShortcutHandlers {
  togglePlay(): void;
  step(): void;
  seekBy(deltaMs: number): void;
  seekHome(): void;
  seekEnd(): void;
  slower(): void;
  faster(): void;
  tab(index: number): void;
  toggleTheme(): void;
  help(): void;
}

/** True when a key press belongs to the focused control, not to the workbench. */
function ownedByControl(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    // Text fields own every key; sliders and checkboxes own arrows and space.
    if (!['range', 'checkbox', 'radio', 'button', 'submit'].includes(type)) return true;
    return key === ' ' || key.startsWith('Arrow') || key === 'Home' || key === 'End';
  }
  // Buttons, tabs, table rows and graph nodes act on Space and Enter themselves; the widgets that
  // use arrows (tabs, table rows) stop those events before they reach the window.
  const focusable = tag === 'BUTTON' || tag === 'A' || target.tabIndex >= 0;
  return focusable && (key === ' ' || key === 'Enter');
}

/** Installs the workbench's keyboard shortcuts on the window while mounted. */
export function useShortcuts(handlers: ShortcutHandlers, enabled = true): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
      if (document.querySelector('dialog[open]') !== null) return;
      if (ownedByControl(event.target, event.key)) return;
      const h = ref.current;
      const act = (f: () => void) => {
        event.preventDefault();
        f();
      };
      switch (event.key) {
        case ' ':
          return act(h.togglePlay);
        case 'ArrowRight':
          if (event.shiftKey) return act(() => h.seekBy(1000));
          if (event.altKey) return act(() => h.seekBy(100));
          return act(h.step);
        case 'ArrowLeft':
          if (event.shiftKey) return act(() => h.seekBy(-1000));
          if (event.altKey) return act(() => h.seekBy(-100));
          return;
        case 'Home':
          return act(h.seekHome);
        case 'End':
          return act(h.seekEnd);
        case '[':
          return act(h.slower);
        case ']':
          return act(h.faster);
        case '1':
        case '2':
        case '3':
          return act(() => h.tab(Number(event.key) - 1));
        case 't':
        case 'T':
          return act(h.toggleTheme);
        case '?':
          return act(h.help);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
