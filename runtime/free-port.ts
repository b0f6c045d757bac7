import { createServer } from 'node:net';

/**
 * Ask the OS for a free TCP port on 127.0.0.1. Another process can take it before we bind it,
 * so callers that spawn a server on it must retry on "address in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('The OS returned no port for a listening socket.'));
      });
    });
  });
}
