import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { BROWSER_BLOCKED_PORTS, findFreePort, portIsFree } from './free-port.mjs';

/** Listens on an OS-chosen port of 127.0.0.1 and resolves with the port and a closer. */
function holdAPort(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      resolve({ port: address.port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe('findFreePort', () => {
  it('passes over a port that is in use and says it was busy', async () => {
    const held = await holdAPort();
    try {
      expect(await portIsFree(held.port)).toBe(false);
      const found = await findFreePort({ from: held.port, tries: 20 });
      expect(found.port).toBeGreaterThan(held.port);
      expect(found.busy).toContain(held.port);
    } finally {
      await held.close();
    }
  });

  it('never offers a port browsers refuse to load', async () => {
    // 4190 (ManageSieve) is on the Fetch standard's list; Chromium would show ERR_UNSAFE_PORT.
    expect(BROWSER_BLOCKED_PORTS.has(4190)).toBe(true);
    const found = await findFreePort({ from: 4190, tries: 20 });
    expect(found.port).not.toBe(4190);
    expect(BROWSER_BLOCKED_PORTS.has(found.port)).toBe(false);
    expect(found.busy).not.toContain(4190);
    // Node's fetch applies the same list, which is how the preview's probe met it.
    // (It refuses before connecting, so the cause is the port, not an empty port.)
    const refused = await fetch('http://127.0.0.1:4190/').then(
      () => null,
      (error: unknown) => (error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)),
    );
    expect(refused).toBe('bad port');
  });
});
