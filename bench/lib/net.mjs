import { createServer } from 'node:net';

/** A loopback port nothing listens on right now (the kernel's choice), for a process started next. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
