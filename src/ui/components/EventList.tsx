import type { RunSlice } from '../../sim/api.ts';

/** One trace event as the kernel reports it. */
export type TraceEventView = RunSlice['events'][number];

export interface EventListProps {
  /** The newest events, oldest first. */
  events: readonly TraceEventView[];
  /** True when the last slice had more new events than it carried. */
  capped?: boolean;
}

/** A compact table of the latest trace events: when, where and what. */
export function EventList({ events, capped = false }: EventListProps) {
  return (
    <section className="panel" aria-labelledby="events-heading">
      <h2 id="events-heading">Latest trace events</h2>
      {events.length === 0 ? (
        <p className="empty">No events yet. Press Run to start the simulation.</p>
      ) : (
        <table className="events" data-testid="event-list">
          <thead>
            <tr>
              <th scope="col" className="num">At (ms)</th>
              <th scope="col">Node</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.seq}>
                <td className="num">{event.at}</td>
                <td>{String(event.node)}</td>
                <td className="mono">{event.type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {capped ? <p className="hint">Showing only the newest events of a busy frame.</p> : null}
    </section>
  );
}
