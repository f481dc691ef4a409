// A real redis-server per test file, on a free loopback port.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from '../../src/sandbox/redis-server.js';

export async function useRedis(options: { appendonly?: boolean; appendfsync?: 'always' | 'everysec' } = {}): Promise<{ server: RedisServer; client: Redis }> {
  const server = await startRedisServer(options);
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  return { server, client };
}

/** One redis-server for a whole test file: started before its tests, stopped after them. */
export function redisForFile(): { readonly server: RedisServer; readonly client: Redis } {
  const file = {} as { server: RedisServer; client: Redis };
  beforeAll(async () => {
    Object.assign(file, await useRedis());
  });
  afterAll(async () => {
    file.client.disconnect();
    await file.server.stop();
  });
  return file;
}

/** Every key and every value in Redis, as text, for privacy scans. */
export async function dumpRedis(client: Redis): Promise<string> {
  const keys = await client.keys('*');
  const parts: string[] = [];
  for (const key of keys) {
    parts.push(key);
    const type = await client.type(key);
    if (type === 'string') parts.push((await client.getBuffer(key))?.toString('latin1') ?? '');
    else if (type === 'hash') parts.push(...Object.entries(await client.hgetallBuffer(key)).flatMap(([k, v]) => [k, v.toString('latin1')]));
    else if (type === 'list') parts.push(...(await client.lrangeBuffer(key, 0, -1)).map((b) => b.toString('latin1')));
    else if (type === 'set') parts.push(...(await client.smembersBuffer(key)).map((b) => b.toString('latin1')));
    else if (type === 'zset') parts.push(...(await client.zrange(key, 0, -1)));
    else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')));
  }
  return parts.join('\n');
}
