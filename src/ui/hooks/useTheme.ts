import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

const KEY = 'switchboard-theme';

/** The saved theme, else the system's preference. */
export function initialTheme(): Theme {
  try {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage can be blocked; fall through to the system preference.
  }
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches === true ? 'dark' : 'light';
}

/** The theme, applied to the document root (`data-theme`), remembered, and a toggle. */
export function useTheme(initial?: Theme): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() => initial ?? initialTheme());
  useEffect(() => {
    const root = document.documentElement;
    root.dataset['theme'] = theme;
    root.style.colorScheme = theme;
  }, [theme]);
  const toggle = useCallback(() => {
    setTheme((t) => {
      const next = t === 'dark' ? 'light' : 'dark';
      try {
        globalThis.localStorage?.setItem(KEY, next);
      } catch {
        // Not remembered, still applied.
      }
      return next;
    });
  }, []);
  return [theme, toggle];
}
