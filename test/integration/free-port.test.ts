// Tests and the sandbox start servers on ports found free a moment before. A port from
// the kernel's ephemeral range can meanwhile become the source port of any outgoing
// connection, and the listen fails (EADDRINUSE, seen in CI): freePort stays below it.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/redis-server.js';

describe('freePort', () => {
  it('hands out listenable loopback ports below the ephemeral range', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
    }
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
    server.close();
  });
});
