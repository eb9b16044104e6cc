import net from 'node:net';

// Ports handed out by bind(0) come from the kernel's ephemeral range, which outgoing connections (to
// Postgres, to the simulators) use too: a port found free and released can be taken by such a socket before
// the server that asked for it binds (CI saw EADDRINUSE that way). Test servers therefore take random ports
// below that range, checked free, and callers that start a server retry on EADDRINUSE.
const LOW = 20000;
const HIGH = 32000;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port free on loopback right now, outside the kernel's ephemeral range, for servers a test starts. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}

/** Runs `start` with fresh ports until it does not fail with EADDRINUSE (another test took the port first). */
export async function withFreePorts<T>(start: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' || /EADDRINUSE/.test(String(error));
      if (!inUse || i >= attempts) throw error;
    }
  }
}
