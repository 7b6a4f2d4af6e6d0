// Finds a TCP port nothing is listening on, so the dev server and the e2e preview never print a URL
// that then fails because another server (or a second copy of the suite) holds the port. It has no
// dependencies: `npm start` calls it before `npm ci` may have run.
import net from 'node:net';

/** True when a server can listen on `host:port` right now; the probe is closed again at once. */
export function portIsFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * The first free port from `from` on, trying `tries` ports. Returns the port and the busy ones
 * skipped on the way, so the caller can say which were taken. Throws when none is free.
 *
 * Another process can still take the port between this probe and the server's own listen, so
 * callers start their server with `--strictPort` (it fails loudly instead of moving elsewhere
 * silently) and may call this again.
 */
export async function findFreePort({ from, host = '127.0.0.1', tries = 20 }) {
  const busy = [];
  for (let port = from; port < from + tries; port++) {
    if (await portIsFree(port, host)) return { port, busy };
    busy.push(port);
  }
  throw new Error(`no free port on ${host} from ${from} to ${from + tries - 1}: all ${tries} are in use`);
}
