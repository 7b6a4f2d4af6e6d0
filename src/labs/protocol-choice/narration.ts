/**
 * The protocol lab's text, in our own words; `{id}` placeholders are measured figures.
 */

export const SUMMARY = 'WebSocket, Server-Sent Events, long polling and raw TCP carry the same chat on the same seed: the comparison table filled with what each one cost.';

export const TABLE_NARRATION = [
  'Eight users in a group chat, each sending about once a second, over four transports: same workload, same seed, same cluster.',
  'Bidirectional or not, browser support and complexity are properties of each protocol; its overhead and its latency are not opinions, so the table below measures them.',
  'Switch the transport to run the workload over it and read what the run cost.',
].join(' ');

export const TABLE_EXPLANATION = [
  'Over the chosen transport each stored message cost {bytes} of chat traffic on the wire and {requests} HTTP requests per message sent, with {handshakes} connect handshakes ({handshakeBytes}).',
  'A WebSocket pays its HTTP upgrade once per connection and then a few bytes of frame header per message; Server-Sent Events push down one long response, but everything a client says goes up as a POST with its headers: each send, and each acknowledgement a receiver returns for a message it was shown, so one group message costs a request from its sender and one from every member it reaches;',
  'long polling pays a request and a response for every batch it receives, and a message waits for the next poll. Raw TCP pays least per connection, but no browser can open one: it is a native app\u2019s choice.',
].join(' ');

export const SWEEP_NARRATION = 'The same comparison over three seeds each, as a slider: move along the transports and watch the bytes per message and the 99th percentile, with the spread across seeds. Click any point to open that exact run.';

export const SWEEP_EXPLANATION = 'Every point is a real run; the table under the slider is read from its reports, not written here.';

/** What each protocol is, whatever the run: the comparison table's first rows, in the lab's words. */
export const PROPERTIES = [
  { label: 'Direction', cells: ['Both ways on one connection', 'Server to client only; sends are separate POSTs', 'Server to client as answers to held requests; sends are separate requests', 'Both ways on one connection'] },
  { label: 'Runs in a browser', cells: ['Every current browser', 'Every current browser (EventSource)', 'Anything that speaks HTTP', 'No: native apps and servers only'] },
  { label: 'What you build', cells: ['An upgrade, then your own framing, heartbeats and reconnects', 'Plain HTTP; reconnect and last-event-id come with EventSource', 'Plain HTTP, plus hold timers, re-polls and missed-message catch-up', 'Your own framing, TLS, heartbeats and reconnects, outside the web stack'] },
] as const;

export const LIFECYCLES = [
  'Each protocol’s connection, drawn from its own run: two users on different servers, one private message, and everything their clients did to get connected first.',
  'Pick a transport and read the top of the diagram: how the connection is opened ({handshakeBytes} of handshake for {handshakes} connects on this run), then how the message goes up and comes down.',
].join(' ');

export const LIFECYCLES_EXPLANATION = 'Over this transport the private message reached u2 at {firstShown}, after {handshakes} connects that cost {handshakeBytes} of handshake between them.';

export const LIFECYCLES_WATCH = [
  'WebSocket: one HTTP upgrade per client, then frames both ways on the same connection.',
  'SSE: a GET that never ends carries everything down; the send goes up as a POST of its own.',
  'Long polling: a poll waits at the server, is answered, and the client polls again at once.',
  'Raw TCP: no HTTP at all; the connect is the length-prefixed frames themselves.',
];

export const LIFECYCLE = [
  'Long polling, up close: the client keeps one request waiting at the server; the server answers it when it has something (or, with nothing to say, when its hold time runs out), and the client asks again at once.',
  'This run answered {polls} polls. Each answer is a whole HTTP response, and each new poll a whole request: that is where its bytes go.',
].join(' ');

export const LIFECYCLE_WATCH = ['Follow poll → pollResponse → poll on one client\u2019s lifeline: the server holds the request until a message arrives.'];

export const SEND_QUESTION = 'With Server-Sent Events the server streams events down to the browser. How does the browser send a chat message up?';

export const SEND_NARRATION = 'Server-Sent Events are one-way. Commit to an answer, then the run counts the requests.';

export const SEND_EXPLANATION = [
  'Over SSE the run made {sseRequests} HTTP requests per message sent, against {wsRequests} over a WebSocket, whose one connection carries both directions.',
  'Why more than one? The send is a POST with its own headers, and so is every acknowledgement the receivers send back up for the message they were shown: in a group of eight that is the sender’s request plus one from each member reached.',
].join(' ');
