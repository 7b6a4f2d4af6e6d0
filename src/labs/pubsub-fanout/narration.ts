/**
 * The pub/sub lab's text, in our own words; `{id}` placeholders are measured figures. Setup
 * values (users, servers, rates) are the runs' own parameters, never results.
 */

export const SUMMARY = 'The component view and the servers\u2019 subscriptions; what fan-out without a broker costs as the cluster grows and when one server fails; and a Redis-like push against a Kafka-like log when a server comes back.';

export const COMPONENTS = [
  'Eight users chat in one group and two private channels, connected round-robin to three WebSocket servers. No server knows where the others\u2019 users are: each server tells the broker which topics it cares about, and the chat service publishes every stored message to its channel\u2019s topic.',
  'In this run the servers made {subscriptions} subscriptions, {g1Subscribers} of them to the group g1. The group\u2019s {published} messages went out as {copies} copies, one per subscribed server, and each server then pushed to its own members ({fannedOut} fan-outs).',
].join(' ');

export const COMPONENTS_WATCH = [
  'Open a topic node under the broker: its subscribers are the servers that hold at least one member of that channel.',
  'Follow a publish: chat \u2192 broker \u2192 topic \u2192 every subscribed server \u2192 gateway \u2192 clients.',
];

export const INTEREST_QUESTION = 'u3 and u7 share a private channel, dm:u3:u7, and there are three servers. How many servers subscribe to its topic?';

export const INTEREST_NARRATION = 'The broker routes by interest: it only knows who asked for what. Think back to the first step\u2019s view, where each client showed the server it was connected to; commit to a number, then the run answers.';

export const INTEREST_EXPLANATION = [
  '{dmSubscribers} server(s) subscribed to dm:u3:u7, against {g1Subscribers} to the group. A server subscribes to a topic when one of its own users belongs to the channel, and to nothing else;',
  'so each of the channel\u2019s {dmPublished} messages cost the broker {dmCopies} copies in all, while every group message went to each server holding a member. The subscription maps are the routing table: no lookup is needed at send time.',
].join(' ');

export const GROW_NARRATION = [
  'Now the pitfall. One busy member (a bot) posts 80 messages a second for four seconds to a group of 16, spread over the servers. Without a broker the sender\u2019s server asks the directory where the members are, then makes one HTTP call to every other server with members and waits for each response.',
  'Change the number of servers and the design: every change is a new run. The slider below runs both designs over 2, 4, 8 and 16 servers, three seeds each, and draws one line per design.',
  'The group stays at 16 members here, so the bigger the cluster, the more servers hold one of them; at 16 servers each member has a server to themselves. What the sender pays for is the servers that hold members, not the cluster\u2019s size: a server with none of the group\u2019s members is never called.',
].join(' ');

export const GROW_EXPLANATION = [
  'This run stored {stored} messages and sent {perStored} network messages per stored message: the servers {wsPerStored}, the broker {brokerPerStored} and the directory {directoryPerStored}. The busiest server, the sender\u2019s, spent {senderCpu} of CPU per message; half the deliveries took {p50} or less and 99 % took {p99} or less.',
  'The table holds the same workload on the same seed: without a broker the sender\u2019s server pays for a request and a response per server, so its CPU per message and the messages per stored message grow with the cluster, and latency creeps up with them; with a broker the sender does the same small work whatever the size, and the broker\u2019s copies grow by one per server.',
  'On the slider, read the two lines apart. Messages per stored message rise with the servers on both lines, but the no-broker line climbs about twice as steeply. The busiest server is the sender\u2019s: on the no-broker line it is more than twice as busy at 16 servers as at 2 (it calls every other server for every message), while on the broker line it is less busy at 16 than at 2 (it has fewer members of its own to push to). The directory answers exactly one lookup per message at every size, and the broker sends exactly one copy per subscribed server. Half the deliveries are slower without a broker at every size, and the gap widens as the cluster grows. The bands are thin: the workload is scripted, so the seeds only change the network\u2019s jitter.',
].join(' ');

export const GROUP_NARRATION = [
  'The other axis of growth: the cluster stays at 8 servers with 32 users connected, and the busy member’s group grows from 4 to 32 members. Users land on servers round-robin in the order they connect, so a small group has members on some of the servers and a large one on all of them.',
  'The slider runs both designs at each size on three seeds. Watch which figures follow the group and which stop growing once every server holds a member.',
].join(' ');

export const GROUP_EXPLANATION = [
  'This run (16 members, no broker) sent {perStored} network messages per stored message, and the sender’s server, the busiest, spent {senderCpu} of CPU per message.',
  'On the slider, messages per stored message climb with the group on both lines, side by side: every member is a delivery to a client, whatever routes the message between servers. What separates the designs is the server-to-server part, which follows the servers holding members, not the members: the broker’s copies stop growing once all 8 servers hold a member (from 16 members on), and the no-broker sender’s work nearly stops with them, while half the deliveries stay slower without a broker at every size.',
].join(' ');

export const FAIL_NARRATION = [
  'Twenty-four members on six servers chat at 40 messages a second; ws-6 crashes at 3 s and stays down. Its users reconnect to other servers within a few seconds. The question is what happens to everyone else.',
  'Without a broker every sender still calls ws-6 for the members it had, until their registrations move; each call holds one of 20 slots in the sender\u2019s pool until it times out. Switch the design and compare.',
].join(' ');

export const FAIL_EXPLANATION = [
  'In this run half the deliveries took {p50} or less and nine in ten {p90} or less; {queued} calls had to queue for a slot and {timedOut} timed out.',
  'The table sets both designs side by side on the same crash and seed: without a broker a dead server slows the users of the healthy ones, because their messages wait behind calls that will never be answered. With a broker the publisher never waits for a subscriber: ws-6\u2019s own users suffer (they are the slow tail in both designs, waiting to reconnect) and nobody else does.',
].join(' ');

export const REPLAY_QUESTION = 'ws-2 crashes at 15 s and comes back at 17 s; meanwhile the other users send to the group. With a Kafka-like log (a server reads the topic from its last committed offset), what do ws-2\u2019s returning users get?';

export const REPLAY_NARRATION = 'Clients here do no catch-up of their own (no gap detection, at most once): only the broker can bring back what a server missed. Commit, then the run answers.';

export const REPLAY_EXPLANATION = [
  '{stored} were stored while ws-2 was down. With the Kafka-like log the servers fanned out {fanKafka} times against {fanRedis} with the Redis-like broker: ws-2 read the topic again from its committed offset and pushed what it had missed.',
  'Lost pairs (a stored message never shown to a member): {lostKafka} with the log against {lostRedis} with Redis-like push, which delivers to whoever is subscribed at that instant and keeps nothing. ws-2 read the log once, when its first user came back; what the log run still lost belongs to the users who reconnected after that.',
  'To see the log do it, open the moment ws-2 is back up ({backAt}): the pub/sub view marks ws-2 behind on the log, by the records appended while it was down. Play on, and its lag drops to 0 at its first fetch.',
].join(' ');

export const DRAW = 'Your turn: draw the pub/sub architecture of this cluster on the canvas from the palette (clients, gateway, WebSocket servers, chat service, database, broker) and connect what talks to what. The check compares it with the components and connections of this run.';

export const DRAW_WATCH = ['Every server connects to the broker both ways: it subscribes, and the broker pushes to it.', 'The chat service publishes after the database has stored the message.'];
