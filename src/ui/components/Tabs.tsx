import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<K extends string> {
  readonly key: K;
  readonly label: ReactNode;
  /** A short hint shown as a badge (a count). */
  readonly badge?: ReactNode;
  /** Keyboard shortcut shown in the tooltip. */
  readonly shortcut?: string;
}

export interface TabsProps<K extends string> {
  /** Names the tab list for screen readers. */
  readonly label: string;
  readonly tabs: readonly TabItem<K>[];
  readonly selected: K;
  readonly onSelect: (key: K) => void;
  /** Renders the selected panel. Hidden panels are not rendered at all. */
  readonly children: ReactNode;
  readonly className?: string;
  /** Extra controls at the end of the tab bar. */
  readonly actions?: ReactNode;
}

/**
 * Tabs as the WAI-ARIA pattern has them: one tab stop, arrow keys move between tabs and select
 * them, Home/End jump to the ends.
 */
export function Tabs<K extends string>({ label, tabs, selected, onSelect, children, className, actions }: TabsProps<K>) {
  const base = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.key === selected);
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else return;
    event.preventDefault();
    event.stopPropagation();
    const key = (tabs[next] as TabItem<K>).key;
    onSelect(key);
    refs.current.get(key)?.focus();
  };
  return (
    <div className={`tabs ${className ?? ''}`}>
      <div className="tab-bar">
        <div role="tablist" aria-label={label} className="tab-list" onKeyDown={move}>
          {tabs.map((tab) => {
            const active = tab.key === selected;
            return (
              <button
                key={tab.key}
                ref={(el) => {
                  if (el === null) refs.current.delete(tab.key);
                  else refs.current.set(tab.key, el);
                }}
                type="button"
                role="tab"
                id={`${base}-tab-${tab.key}`}
                aria-selected={active}
                aria-controls={`${base}-panel`}
                tabIndex={active ? 0 : -1}
                className="tab"
                title={tab.shortcut === undefined ? undefined : `Shortcut: ${tab.shortcut}`}
                onClick={() => onSelect(tab.key)}
              >
                {tab.label}
                {tab.badge === undefined || tab.badge === null ? null : <span className="tab-badge">{tab.badge}</span>}
              </button>
            );
          })}
        </div>
        {actions === undefined ? null : <div className="tab-actions">{actions}</div>}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${selected}`} className="tab-panel">
        {children}
      </div>
    </div>
  );
}
