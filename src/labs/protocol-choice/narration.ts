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
  'A WebSocket pays its HTTP upgrade once per connection and then a few bytes of frame header per message; Server-Sent Events push down one long response but every send is its own POST with its headers;',
  'long polling pays a request and a response for every batch it receives, and a message waits for the next poll. Raw TCP pays least per connection, but no browser can open one: it is a native app\u2019s choice.',
].join(' ');

export const SWEEP_NARRATION = 'The same comparison over three seeds each, as a slider: move along the transports and watch the bytes per message and the 99th percentile, with the spread across seeds. Click any point to open that exact run.';

export const SWEEP_EXPLANATION = 'Every point is a real run; the table under the slider is read from its reports, not written here.';

export const LIFECYCLE = [
  'Long polling, up close: the client keeps one request waiting at the server; the server answers it when it has something (or, with nothing to say, when its hold time runs out), and the client asks again at once.',
  'This run answered {polls} polls. Each answer is a whole HTTP response, and each new poll a whole request: that is where its bytes go.',
].join(' ');

export const LIFECYCLE_WATCH = ['Follow poll → pollResponse → poll on one client\u2019s lifeline: the server holds the request until a message arrives.'];

export const SEND_QUESTION = 'With Server-Sent Events the server streams events down to the browser. How does the browser send a chat message up?';

export const SEND_NARRATION = 'Server-Sent Events are one-way. Commit to an answer, then the run counts the requests.';

export const SEND_EXPLANATION = 'Over SSE the run made {sseRequests} HTTP requests per message sent (each send is a POST with its own headers), against {wsRequests} over a WebSocket, whose one connection carries both directions.';
