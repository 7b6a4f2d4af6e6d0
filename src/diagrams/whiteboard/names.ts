/**
 * What a student means by a participant's name: "WS Server A", "WebSocket Server (A's
 * connection)" and "A's server" are all A's WebSocket server; "Redis", "Pub/Sub" and "broker"
 * are the broker; "DB", "Cassandra" and "Message store" are the database. The roles are the
 * cluster's own (`roles.ts`), plus a side: A (the sender), B (the followed receiver) or another
 * member of a group.
 *
 * The rules are ordered keyword tests on a normalised name (camelCase and punctuation split into
 * words), most specific first, so "API Gateway / WS Endpoint" is the gateway and "User Service
 * (Auth, Presence)" the auth service. A name that matches nothing is reported as unrecognised,
 * never guessed.
 */
import type { NodeRole } from '../roles.ts';

/** The roles a whiteboard can name: the cluster's roles without the simulator's own kinds. */
export type WbRole = Exclude<NodeRole, 'fleet' | 'other'>;

/** Whose it is: the sender's (A), the followed receiver's (B), another member's, or not said. */
export type WbSide = 'A' | 'B' | 'other' | null;

/** What a name was read as. */
export interface NameMeaning {
  readonly role: WbRole;
  readonly side: WbSide;
}

/** Splits camelCase and acronyms, drops punctuation and possessives, lowercases. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/'s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const has = (words: readonly string[], ...any: string[]): boolean => any.some((w) => words.includes(w));
const hasPhrase = (joined: string, ...any: string[]): boolean => any.some((p) => ` ${joined} `.includes(` ${p} `));

/** The side a name says, from letters (A, B, C…), numbers (1, 2…) and words (sender, receiver…). */
function sideOf(words: readonly string[], role: WbRole): WbSide {
  if (has(words, 'sender', 'alice', 'origin', 'source', 'sending')) return 'A';
  if (has(words, 'receiver', 'recipient', 'recipients', 'bob', 'receiving', 'destination', 'target')) return 'B';
  if (has(words, 'members', 'other', 'others', 'subscribers', 'group')) return role === 'client' || role === 'ws-server' ? 'other' : null;
  if (role !== 'client' && role !== 'ws-server') return null;
  // A lone letter names a side ("Client A", "A's server", "WS Server (Conn B)").
  const letters = words.filter((w) => w.length === 1 && /[a-z]/.test(w));
  const letter = letters[letters.length - 1];
  if (letter === 'a') return 'A';
  if (letter === 'b') return 'B';
  if (letter !== undefined && letter >= 'c' && letter <= 'z' && letter !== 's' && letter !== 'x') return 'other';
  const num = words.find((w) => /^\d+$/.test(w));
  if (num === '1') return 'A';
  if (num === '2') return 'B';
  if (num !== undefined) return 'other';
  return null;
}

/** The role a name says, or null when it says none the check knows. */
function roleOfWords(words: readonly string[]): WbRole | null {
  const joined = words.join(' ');
  const serverish = has(words, 'server', 'servers', 'service', 'svc', 'gateway', 'broker', 'db', 'database', 'node');
  if (has(words, 'client', 'clients', 'browser', 'device', 'phone') && !serverish) return 'client';
  if (hasPhrase(joined, 'session store', 'session cache', 'session db', 'connection store', 'state store')) return 'session-store';
  if (hasPhrase(joined, 'rate limiter', 'rate limit', 'rate limiting', 'limiter', 'throttle', 'throttler', 'token bucket')) return 'limiter';
  if (has(words, 'notification', 'notifications', 'notifier', 'apns', 'fcm') || hasPhrase(joined, 'push service', 'push notification')) return 'notifier';
  if (has(words, 'presence', 'heartbeat', 'heartbeats') || hasPhrase(joined, 'online status', 'last seen')) return 'presence';
  if (has(words, 'auth', 'authentication', 'identity', 'login', 'oauth', 'sso', 'iam') || hasPhrase(joined, 'token service')) return 'auth';
  if (has(words, 'sequencer', 'snowflake') || hasPhrase(joined, 'id generator', 'sequence service', 'sequence generator', 'counter service')) return 'sequencer';
  if (has(words, 'directory', 'registry') || hasPhrase(joined, 'user server', 'server map', 'routing table', 'connection map', 'lookup service', 'location service')) return 'directory';
  if (has(words, 'gateway', 'gw', 'apigw', 'lb', 'balancer', 'ingress', 'nginx', 'haproxy', 'envoy', 'proxy', 'edge', 'elb', 'alb') || hasPhrase(joined, 'load balancer', 'api gateway')) return 'gateway';
  if (has(words, 'pubsub', 'broker', 'redis', 'kafka', 'nats', 'rabbitmq', 'rabbit', 'mq', 'bus', 'topic', 'topics', 'pulsar', 'kinesis', 'sns') || hasPhrase(joined, 'pub sub', 'message queue', 'event bus', 'message bus', 'event stream')) return 'broker';
  if (has(words, 'db', 'database', 'cassandra', 'postgres', 'postgresql', 'mysql', 'mongo', 'mongodb', 'dynamo', 'dynamodb', 'scylla', 'scylladb', 'sql', 'storage', 'persistence', 'hbase', 'bigtable') || hasPhrase(joined, 'message store', 'data store', 'datastore', 'message history', 'history store', 'chat store')) return 'db';
  if (has(words, 'websocket', 'websockets', 'ws', 'wss', 'socket', 'sockets', 'conn', 'connection', 'connections', 'realtime') || hasPhrase(joined, 'web socket', 'real time')) return 'ws-server';
  if (has(words, 'chat', 'messaging', 'logic', 'backend', 'business') || hasPhrase(joined, 'message service', 'messages service', 'app server', 'application server')) return 'chat';
  if (has(words, 'server', 'servers', 'node')) return 'ws-server';
  if (has(words, 'user', 'users', 'sender', 'receiver', 'recipient', 'recipients', 'alice', 'bob', 'app', 'mobile', 'web', 'member', 'members')) return 'client';
  return null;
}

/**
 * What a participant's name means, or null when it names nothing the check knows.
 *
 * @example
 * meaningOfName('WebSocket Server (A’s connection)'); // { role: 'ws-server', side: 'A' }
 * meaningOfName("A's server");                         // { role: 'ws-server', side: 'A' }
 * meaningOfName('Redis');                              // { role: 'broker', side: null }
 * meaningOfName('Message store');                      // { role: 'db', side: null }
 * meaningOfName('ClientB');                            // { role: 'client', side: 'B' }
 */
export function meaningOfName(name: string): NameMeaning | null {
  const words = normaliseName(name).split(' ').filter((w) => w !== '');
  if (words.length === 0) return null;
  const role = roleOfWords(words);
  if (role === null) {
    // A bare letter or "A"/"B" alone: a user.
    if (words.length === 1 && (words[0] === 'a' || words[0] === 'b')) return { role: 'client', side: words[0] === 'a' ? 'A' : 'B' };
    return null;
  }
  return { role, side: sideOf(words, role) };
}

/**
 * What a participant means: its label first, then its id (students often put the role in one
 * and the side in the other: `participant WSA as WebSocket Server`).
 *
 * @example
 * meaningOfParticipant('WSServerA', 'WebSocket Server (Conn A)'); // { role: 'ws-server', side: 'A' }
 */
export function meaningOfParticipant(id: string, label: string): NameMeaning | null {
  const fromLabel = meaningOfName(label);
  const fromId = label === id ? fromLabel : meaningOfName(id);
  if (fromLabel === null) return fromId;
  if (fromLabel.side === null && fromId !== null && fromId.role === fromLabel.role) return { role: fromLabel.role, side: fromId.side };
  return fromLabel;
}

/** The lab's words for a role and side, for findings. */
export function roleWords(role: WbRole, side: WbSide = null): string {
  const who = side === 'A' ? "A's " : side === 'B' ? "B's " : side === 'other' ? "another member's " : '';
  switch (role) {
    case 'client':
      return side === 'A' ? 'User A’s client' : side === 'B' ? 'User B’s client' : side === 'other' ? 'another member’s client' : 'a client';
    case 'gateway':
      return 'the API gateway / load balancer';
    case 'auth':
      return 'the auth service';
    case 'ws-server':
      return side === null ? 'a WebSocket server' : `${who}WebSocket server`;
    case 'broker':
      return 'the pub/sub broker';
    case 'chat':
      return 'the chat service';
    case 'sequencer':
      return 'the sequencer';
    case 'db':
      return 'the database';
    case 'directory':
      return 'the directory (user → server)';
    case 'presence':
      return 'the presence service';
    case 'notifier':
      return 'the notification service';
    case 'limiter':
      return 'the rate limiter';
    case 'session-store':
      return 'the session store';
  }
}
