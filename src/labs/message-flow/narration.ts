/**
 * The message-flow lab's text, in our own words. `{id}` placeholders are figures measured on the
 * step's run (see manifest.ts); nothing here states a number of its own.
 */

export const SUMMARY = 'Follow one private and one group message from User A to User B through every component, with presence where it happens.';

export const PRIVATE_PATH = [
  'User A (u1) sends User B (u2) a private message. Follow it hop by hop in the sequence diagram:',
  'A\'s client → gateway → A\'s WebSocket server → chat service → database → chat service → pub/sub → B\'s server → gateway → B\'s client.',
  'Counted from the moment A pressed send, the row was stored after {dmStored}, the broker published it after {dmPublished},',
  'and B saw it after {dmShown}. A\'s own ack arrived after {dmAcked}.',
].join(' ');

export const PRIVATE_WATCH = [
  'Which server holds A\'s connection and which holds B\'s: they are different boxes joined only through the broker.',
  'The chat service writes to the database before anything is published.',
];

export const ORDER_QUESTION = 'When A posts to the group, which happens first: the database stores the message, or the broker publishes it?';

export const ORDER_NARRATION =
  'Now A writes to the group g1, which B is in. Before you play it, commit to an answer: does the chat service persist first and publish second, or the other way round?';

export const ORDER_EXPLANATION = [
  'The run answers. Counted from A pressing send, the database stored the group message after {groupStored} and the broker published it after {groupPublished}.',
  'Persisting first costs the sender the database round trip, {persistToPublish} here, but no member can be shown a message the history does not have:',
  'a reader who reconnects and fetches history gets the same messages live readers saw.',
].join(' ');

export const FANOUT = [
  'The group message goes to the broker once. The broker pushed it to {subscribers} subscribed servers (each server that has at least one member of g1 connected),',
  'those servers wrote it to {recipients} in total, and {shown} screens showed it, counting A\'s own.',
  'No server talks to another server: the broker decouples A\'s server from B\'s.',
].join(' ');

export const FANOUT_WATCH = ['The broker arrow fans out into one arrow per subscribed server.', 'Each server then writes to its own members\' connections only.'];

export const PRESENCE = [
  'Presence is a side flow: when a user\'s connection is ready, the WebSocket server tells the presence service, which records the status and fans it out.',
  'In this run presence changed {statusChanges} times; the first change was at t = {firstChange} and the fan-outs reached {presenceRecipients} users in total.',
  'Clients ask for the statuses of their contacts once connected ({presenceSeen} answers).',
].join(' ');

export const PRESENCE_WATCH = [
  'The diagram draws the private message again, this time with the connects before it (“Connects and presence” is ticked): each user’s connect ends with the server telling the presence service, which fans the new status out to the servers of those who care.',
  'Presence arrows are asynchronous and sit before and beside the message’s path: a chat message never waits for presence.',
];

export const CHECK = 'Check the whole flow on the run: B was shown the private message, every member the group message, both through the broker, and the lost-message checker found nothing.';

export const CHECK_EXPLANATION = [
  'The checks ran on the run\'s trace in the worker: the broker published {published} messages,',
  'the group message was shown {groupShown} times and the lost-message checker made {lostFindings} findings.',
].join(' ');

export const DRAW = [
  'Now the whiteboard: write the group message’s path from User A to User B as a Mermaid sequence diagram, the way you would draw it in an interview, and check it against what this run did.',
  'Name the participants however you like (“WS Server A”, “Redis”, “message store”): the check maps them to the cluster’s roles, then reports what is missing, extra, reversed or out of order, each linked to the real hop.',
].join(' ');

export const DRAW_WATCH = ['Persist before publish, publish before fan-out: the check holds you to the order the run followed.'];
