/**
 * The placement lab's text, in our own words; `{id}` placeholders are measured figures. The
 * setup it describes (eight users, u1's flood of five sends a second from 5 s to 45 s, a sliding
 * log of 20 per 60 s) is the scenario's input, in patches.ts; every outcome is a figure.
 */

export const SUMMARY = 'One user floods a group of eight. The same limiter at the gateway, in each WebSocket server, in the chat service or in a dedicated service: what got through, who was refused, what the back end carried, and what happens when things fail.';

export const PLACEMENTS = [
  'Eight users share the group g1. Seven of them chat at a normal pace, about one message every five seconds; u1 floods the group with five sends a second from 5 s to 45 s.',
  'A sliding log of 20 sends per 60 s per user guards the cluster. The algorithm and the limit stay the same in every run; only where the check happens changes.',
  'Pick a placement to run it, and compare all four in the table.',
].join(' ');

export const PLACEMENTS_EXPLANATION = [
  'Here the limiter let {through} of u1\u2019s sends through and refused {refused}; it refused {bystanders} sends of the seven normal users. The WebSocket servers sent {wsMessages} network messages and the chat service processed {chatInputs} inputs; half of all deliveries took under {p50}.',
  'Every placement lets the same share of the flood through, because each keeps one count per user and sees all of u1\u2019s sends (the servers only because u1 stays on one of them: the third step moves it). The difference is how far a refused send travels first:',
  'at the gateway it never reaches a server; in the servers it costs a hop to them; in the chat service it crosses the whole front of the cluster, so the chat service handles {chatInputs-chat} inputs against {chatInputs-gateway} with the gateway refusing.',
  'The dedicated service keeps the chat service as quiet as the gateway does, but every send, allowed or not, waits for one more round trip: {limiterMessages-service} verdicts, and a median of {p50-service} against {p50-gateway}.',
].join(' ');

export const STATE_FLOW = [
  'The rate-limit diagram follows u1\u2019s key through the run, one decision at a time. The limiter keeps a log of the times it let u1 through; for each new send it drops the times older than 60 s and counts what is left.',
  'While the count stays within 20 the send passes and its time joins the log; the 21st in any 60 s is refused and is not logged.',
].join(' ');

export const STATE_FLOW_WATCH = [
  'Step from one request to the next: the bracket is the last 60 s, and the log under the chart lists the times it holds.',
  'At the first red mark the log is full; it stays full until u1\u2019s first logged send is 60 s old.',
];

export const STATE_FLOW_EXPLANATION = [
  'With this algorithm the gateway allowed {allowed} of u1\u2019s requests and refused {rejected}; the first refusal came at {firstRefusalS} into the run.',
  'Try the token bucket or the fixed window on the same flood: the counts change with what each algorithm remembers, while the placement decides only where that memory lives.',
].join(' ');

export const SERVER_FAILS = [
  'Now the limiter lives inside each WebSocket server, and the servers are restarted one after the other, as a deploy does: ws-1 at 20 s, ws-2 at 32 s.',
  'u1\u2019s connection breaks when its server goes down, and it reconnects through the gateway to whichever server the gateway picks.',
].join(' ');

export const SERVER_FAILS_QUESTION = 'With a limiter in each server, how much of u1\u2019s flood gets through compared with one limiter at the gateway?';

export const SERVER_FAILS_EXPLANATION = [
  'With the limiter in the servers {through} of u1\u2019s sends got through; with the same restarts and the limiter at the gateway, {gatewayThrough}, and in the chat service, {chatThrough}.',
  'A server\u2019s limiter counts only what arrived on that server, and a restarted server remembers nothing. When u1 reconnected at {moved}, the server it landed on had no log for u1 (the other server never saw its sends, and a restarted one has forgotten them), so the user got a whole new allowance.',
  'A per-server limit holds only while connections stay put; a limiter meant to bound a user has to keep its count where every server sees it (the gateway, the chat service, or a shared store).',
].join(' ');

export const LIMITER_FAILS = [
  'The limit now lives in a dedicated service that every server asks before it forwards a send. The service crashes at 20 s and is back at 40 s.',
  'A server waits up to 200 ms for a verdict; without one it fails open: it lets the send through.',
].join(' ');

export const LIMITER_FAILS_QUESTION = 'While the limiter is down and the servers fail open, what happens to u1\u2019s flood?';

export const LIMITER_FAILS_EXPLANATION = [
  '{through} of u1\u2019s sends got through, against {healthyThrough} with the service up: for twenty seconds nobody was counting.',
  'Each of the {noVerdict} sends without a verdict first waited out the timeout, so the median delivery rose to {p50} from {healthyP50}: failing open keeps the chat working, slower, and lets abuse in.',
].join(' ');

export const OPEN_OR_CLOSED = 'The same outage. Choose what a server does when the limiter does not answer, and compare both in the table.';

export const OPEN_OR_CLOSED_EXPLANATION = [
  'In this run {through} of u1\u2019s sends got through; {noVerdict} sends found no verdict, and the slowest 1% of deliveries took {p99} or more.',
  'Failing closed keeps the flood out while the limiter is down ({through-closed} let through against {through-open}), but it turns away everyone\u2019s sends: the apps keep retrying them until the service is back, so normal users\u2019 messages wait for the outage to end ({p99-closed} at the 99th percentile against {p99-open}).',
  'Even failing closed, more than the limit got through: the restarted service had lost its log, so u1\u2019s count started again from zero. A limiter whose counts matter keeps them in a store that survives a restart.',
].join(' ');

export const KEY_BY = [
  'What is a \u201cuser\u201d to the limiter? Here u1 shares a public address with u2, u3 and u4 (a home router or an office network), and the gateway counts per address.',
  'Switch the key to the signed-in user and compare.',
].join(' ');

export const KEY_BY_EXPLANATION = [
  'With this key, {through} of u1\u2019s sends got through and the limiter refused {bystanders} sends of normal users.',
  'Per address, u1\u2019s flood used up the allowance of everyone behind the same address ({bystanders-ip} of their sends refused); per user, {bystanders-user}. Counting by address needs no login, which is why it guards the login itself; once a connection carries a verified user, the user is the fairer key.',
].join(' ');

export const LIMIT = [
  'Last, the limit itself, at the gateway. A normal user here sends about 12 messages a minute, in random bursts; u1 sends about 200.',
  'Set the limit and find a value that refuses nobody but u1 and lets at most 40 of u1\u2019s sends reach the back end; then move the slider to see the whole range over three seeds.',
].join(' ');

export const LIMIT_EXPLANATION = [
  'At this limit {through} of u1\u2019s sends got through, {bystanders} of the normal users\u2019 sends were refused, and the chat service processed {chatInputs} inputs.',
  'Too tight and normal users are refused along with the abuser; too loose and the flood reaches the back end almost whole. The right limit sits above what a normal user does in a busy minute and well below what abuse needs.',
].join(' ');
