/**
 * The user → server directory (design 001's user mapping service). Servers register a user when
 * they accept the connection and unregister on close; a crashed server never unregisters, so its
 * entries go stale until the users reconnect elsewhere.
 */
import type { WireMsg } from '../contract/index.ts';
import { fx, type NodeBehavior } from '../core/node.ts';

/** Directory state: user → server. */
export interface DirectoryState {
  where: Record<string, string>;
}

export const directory: NodeBehavior<DirectoryState, WireMsg> = {
  kind: 'directory',
  init: () => ({ where: {} }),
  handle(state, _now, input) {
    if (input.type !== 'message') return { state, effects: [] };
    const msg = input.msg;
    switch (msg.type) {
      case 'dir/register':
        state.where[msg.user] = input.from;
        return { state, effects: [fx.trace('mapping/registered', { user: msg.user, server: input.from })] };
      case 'dir/unregister':
        if (state.where[msg.user] !== input.from) return { state, effects: [] };
        delete state.where[msg.user];
        return { state, effects: [fx.trace('mapping/unregistered', { user: msg.user, server: input.from })] };
      case 'dir/lookup': {
        const byServer = new Map<string, string[]>();
        for (const u of msg.users) {
          const server = state.where[u];
          if (server !== undefined) byServer.set(server, [...(byServer.get(server) ?? []), u]);
        }
        const servers = [...byServer].map(([server, users]) => ({ server, users }));
        return { state, effects: [fx.send<WireMsg>(input.from, { type: 'dir/found', reqId: msg.reqId, servers, message: msg.message }, 32 + msg.users.length * 12)] };
      }
      default:
        return { state, effects: [] };
    }
  },
};
