import { useEffect, useId, useState } from 'react';
import type { MapGroup } from '../../workbench/index.ts';
import { Icon } from '../components/Icon.tsx';
import { useTheme, type Theme } from '../hooks/useTheme.ts';
import { createSimClient, type SimClient } from '../runtime/simClient.ts';
import { browserStorage, doneCounts, type ProgressStorage } from './progress.ts';

export interface HomeProps {
  /** Opens a lab. */
  readonly onOpenLab: (id: string) => void;
  /** Opens the workbench on its own (today's free play). */
  readonly onFreePlay: () => void;
  /** Makes the client the map is asked of (the labs live in the worker). Must be stable. */
  readonly createClient?: () => SimClient;
  readonly storage?: ProgressStorage | null;
  readonly theme?: Theme;
}

/**
 * The home screen: the lab's map. Its sections (concepts, the required diagrams, the decisions,
 * the trade-offs, the pitfalls, the discussion) with the labs this build runs and the ones still
 * coming, each ready lab with the student's progress; and free play, the workbench on its own.
 */
export function Home({ onOpenLab, onFreePlay, createClient = createSimClient, storage = browserStorage(), theme: themeProp }: HomeProps) {
  const [theme, toggleTheme] = useTheme(themeProp);
  const [map, setMap] = useState<MapGroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const client = createClient();
    let live = true;
    client
      .labMap()
      .then((m) => live && setMap(m))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
      client.dispose();
    };
  }, [createClient]);
  const [done] = useState(() => doneCounts(storage));
  const titleId = useId();

  return (
    <div className="home" data-testid="home">
      <header className="toolbar home-bar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⇄
          </span>
          <h1>Switchboard</h1>
        </div>
        <div className="toolbar-end">
          <button type="button" className="icon-button" onClick={toggleTheme} title={theme === 'dark' ? 'Light theme' : 'Dark theme'}>
            <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
            <span className="visually-hidden">{theme === 'dark' ? 'Light theme' : 'Dark theme'}</span>
          </button>
        </div>
      </header>
      <main className="home-main" aria-labelledby={titleId}>
        <section className="home-intro">
          <p className="home-kicker">Lab 5 · Real-time systems</p>
          <h2 id={titleId}>Design a chat system for a million users, by running one</h2>
          <p>
            Every lab runs a simulated chat cluster, seeded and repeatable, and draws the lab’s diagrams from what it did. Predict, run, and read the numbers: each one links to the run and the moment it came from.
          </p>
          <button type="button" className="home-free" onClick={onFreePlay}>
            <strong>Free play</strong>
            <span>The whole workbench: any preset, any seed, faults, chat and the three diagrams.</span>
          </button>
        </section>
        {error !== null ? (
          <p className="notice notice-error" role="alert">
            The labs could not be loaded: {error}
          </p>
        ) : map === null ? (
          <p className="empty" role="status">
            Loading the labs…
          </p>
        ) : (
          map.map((group) => (
            <section key={group.id} className="home-group" aria-labelledby={`group-${group.id}`}>
              <div className="home-group-head">
                <h3 id={`group-${group.id}`}>{group.title}</h3>
                <p>{group.blurb}</p>
              </div>
              <ul className="lab-cards">
                {group.labs.map((entry) => (
                  <li key={entry.lab.id}>
                    {entry.status === 'ready' ? (
                      <a
                        className="lab-card"
                        href={`#/lab/${entry.lab.id}`}
                        onClick={(event) => {
                          event.preventDefault();
                          onOpenLab(entry.lab.id);
                        }}
                      >
                        <span className="lab-card-title">{entry.lab.title}</span>
                        <span className="lab-card-summary">{entry.lab.summary}</span>
                        <span className="lab-card-foot">
                          <span>{entry.lab.steps.length} steps</span>
                          <span className={(done[entry.lab.id] ?? 0) === entry.lab.steps.length ? 'lab-card-done' : ''}>
                            {(done[entry.lab.id] ?? 0) === 0 ? 'Start' : `${done[entry.lab.id] ?? 0} of ${entry.lab.steps.length} done · Continue`}
                          </span>
                        </span>
                      </a>
                    ) : (
                      <div className="lab-card is-coming" aria-disabled="true">
                        <span className="lab-card-title">{entry.lab.title}</span>
                        <span className="lab-card-summary">{entry.lab.summary}</span>
                        <span className="lab-card-foot">
                          <span className="badge">Coming</span>
                        </span>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
      </main>
    </div>
  );
}
