import { describe, expect, test } from 'vitest';
import { isEvent } from '../contract/index.ts';
import { runPreset } from './testing.ts';

// Issue 9 item 10: a WebSocket server closes a connection it has heard nothing on for
// wsServer.idleTimeoutMs (60 s by default), as nginx's proxy_read_timeout or missed pongs do.
describe('server-side idle detection', () => {
  test('a connection whose client died without a goodbye is closed by the server after the idle timeout', () => {
    // u3's client node crashes at 2 s: no close frame, no more pings. The sweep runs every 30 s,
    // so the connection (last heard at most at 2 s) is closed at the first sweep more than 60 s
    // later: 90 s. Before the fix it stayed open, u3 a local member, for the whole run.
    const { events } = runPreset('group-chat', 42, { settleMs: 45_000, faults: [{ at: 2000, op: { verb: 'crash', node: 'c-u3' } }] });
    const closed = events.filter((e) => isEvent(e, 'ws/connectionClosed') && e.data.user === 'u3');
    // (At 90 s plus the server's service time for the sweep's timer, a fraction of a ms.)
    expect(closed.map((e) => (isEvent(e, 'ws/connectionClosed') ? [e.data.reason, Math.floor(e.at)] : null))).toEqual([['idleTimeout', 90_000]]);
  });

  test('clients that only ping (nothing to say for a minute) are never closed as idle', () => {
    // The workload ends at 60 s; the settle period of 90 s has pings only (every 25 s).
    const { events } = runPreset('group-chat', 42, { settleMs: 90_000 });
    expect(events.filter((e) => isEvent(e, 'ws/connectionClosed') && e.data.reason === 'idleTimeout')).toEqual([]);
  });

  test('an idle timeout of 0 turns the detection off', () => {
    const { events } = runPreset('group-chat', 42, { settleMs: 45_000, wsServer: { idleTimeoutMs: 0 }, faults: [{ at: 2000, op: { verb: 'crash', node: 'c-u3' } }] });
    expect(events.filter((e) => isEvent(e, 'ws/connectionClosed') && e.data.user === 'u3')).toEqual([]);
  });
});
