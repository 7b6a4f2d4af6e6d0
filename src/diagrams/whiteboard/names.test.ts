import { describe, expect, test } from 'vitest';
import { meaningOfName, meaningOfParticipant } from './names.ts';

describe('meaningOfName', () => {
  // The names students write (the lab's own, and the variants the issue lists) map to the cluster's roles and sides.
  test.each([
    ['WS Server A', 'ws-server', 'A'],
    ["WebSocket Server (A's connection)", 'ws-server', 'A'],
    ['WebSocket Server (A’s connection)', 'ws-server', 'A'],
    ["A's server", 'ws-server', 'A'],
    ['WebSocket Server (handling User B\'s connection, if different)', 'ws-server', 'B'],
    ['WSServerB', 'ws-server', 'B'],
    ['WS1', 'ws-server', 'A'],
    ["Members' servers", 'ws-server', 'other'],
    ['Redis', 'broker', null],
    ['Pub/Sub', 'broker', null],
    ['broker', 'broker', null],
    ['Pub/Sub System (e.g., Redis/Kafka)', 'broker', null],
    ['Message bus', 'broker', null],
    ['DB', 'db', null],
    ['Cassandra', 'db', null],
    ['Message store', 'db', null],
    ['Database (for message persistence)', 'db', null],
    ['Chat Service/Logic', 'chat', null],
    ['ChatService', 'chat', null],
    ['API Gateway / WS Endpoint', 'gateway', null],
    ['APIGW', 'gateway', null],
    ['Load balancer', 'gateway', null],
    ['User A Client', 'client', 'A'],
    ['Client B (Receiver)', 'client', 'B'],
    ['Sender', 'client', 'A'],
    ['Alice', 'client', 'A'],
    ['Bob', 'client', 'B'],
    ['Client C', 'client', 'other'],
    ['B', 'client', 'B'],
    ['Directory (user to server)', 'directory', null],
    ['Presence Service', 'presence', null],
    ['Session Store', 'session-store', null],
    ['Rate limiter', 'limiter', null],
    ['Notification service (APNs)', 'notifier', null],
    ['Auth', 'auth', null],
    ['Sequencer', 'sequencer', null],
  ])('%s → %s %s', (name, role, side) => {
    expect(meaningOfName(name)).toEqual({ role, side });
  });

  // Names that say nothing the check knows are unrecognised rather than guessed.
  test.each(['Foo', 'Magic Box', '', '   ', '???'])('%j is not recognised', (name) => {
    expect(meaningOfName(name)).toBeNull();
  });

  // A label that names the role and an id that names the side are read together.
  test('takes the side from the id when the label has none', () => {
    expect(meaningOfParticipant('WSServerA', 'WebSocket Server')).toEqual({ role: 'ws-server', side: 'A' });
    expect(meaningOfParticipant('X', 'Chat Service')).toEqual({ role: 'chat', side: null });
    expect(meaningOfParticipant('ClientB', 'Foo')).toEqual({ role: 'client', side: 'B' });
  });
});
