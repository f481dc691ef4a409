// Lua scripts sent once per Redis (EVALSHA), not with every call: leases and the
// flood budget run a script for every message.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Script {
  run(redis: Redis, keys: string[], args: (string | number | Buffer)[]): Promise<unknown>;
}

export function script(lua: string): Script {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        // First use on this Redis (or after it restarted): send the script itself once.
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    },
  };
}
