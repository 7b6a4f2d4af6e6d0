// Finds a TCP port nothing is listening on, so the dev server and the e2e preview never print a URL
// that then fails because another server (or a second copy of the suite) holds the port. It has no
// dependencies: `npm start` calls it before `npm ci` may have run.
import net from 'node:net';

/**
 * Ports browsers refuse to load and `fetch` refuses to ask ("bad ports" in the Fetch standard,
 * section 2.9; Chromium's net/base/port_util.cc has the same list). A server there would start
 * and answer curl, but Chromium shows ERR_UNSAFE_PORT and Node's fetch throws "bad port": 4190 is
 * eighteen ports above the preview's 4173, so a busy machine can reach it.
 */
export const BROWSER_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111,
  113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548,
  554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
  6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

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
 * The first free port from `from` on, trying `tries` ports and passing over the ones browsers
 * block ({@link BROWSER_BLOCKED_PORTS}). Returns the port and the busy ones skipped on the way, so
 * the caller can say which were taken. Throws when none is free.
 *
 * Another process can still take the port between this probe and the server's own listen, so
 * callers start their server with `--strictPort` (it fails loudly instead of moving elsewhere
 * silently) and may call this again.
 */
export async function findFreePort({ from, host = '127.0.0.1', tries = 20 }) {
  const busy = [];
  for (let port = from; port < from + tries; port++) {
    if (BROWSER_BLOCKED_PORTS.has(port)) continue;
    if (await portIsFree(port, host)) return { port, busy };
    busy.push(port);
  }
  throw new Error(`no free port on ${host} from ${from} to ${from + tries - 1}: all ${tries} are in use`);
}
