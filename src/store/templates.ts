// Canned answers, per name and language, encrypted under the roster key: a template is
// written by staff, but it is still message text and Redis holds none in clear.
import type { Redis } from 'ioredis';
import { openRosterSecret, sealRosterSecret } from '../crypto/index.js';
import type { Lang } from '../shared/index.js';
import { rosterKeys } from './redis-keys.js';

export class TemplateStore {
  constructor(
    private readonly redis: Redis,
    private readonly rosterKey: Uint8Array,
  ) {}

  async set(name: string, lang: Lang, text: string): Promise<void> {
    const field = `${name}:${lang}`;
    await this.redis.hset(rosterKeys.templates, field, sealRosterSecret(this.rosterKey, `template/${field}`, text));
  }

  async get(name: string, lang: Lang): Promise<string | undefined> {
    const field = `${name}:${lang}`;
    const sealed = await this.redis.hget(rosterKeys.templates, field);
    return sealed ? openRosterSecret(this.rosterKey, `template/${field}`, sealed) : undefined;
  }

  /** Removes one language of a template, or all of them. Returns how many were removed. */
  async remove(name: string, lang?: Lang): Promise<number> {
    const fields = lang ? [`${name}:${lang}`] : (await this.redis.hkeys(rosterKeys.templates)).filter((f) => f.startsWith(`${name}:`));
    return fields.length ? this.redis.hdel(rosterKeys.templates, ...fields) : 0;
  }

  /** Template names with the languages each exists in. */
  async list(): Promise<Map<string, Lang[]>> {
    const out = new Map<string, Lang[]>();
    for (const field of await this.redis.hkeys(rosterKeys.templates)) {
      const i = field.lastIndexOf(':');
      const name = field.slice(0, i);
      out.set(name, [...(out.get(name) ?? []), field.slice(i + 1) as Lang].sort());
    }
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
  }
}
