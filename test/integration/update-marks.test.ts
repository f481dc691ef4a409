// Redelivery marks: every handled update is remembered for a week, Telegram's in
// shared buckets of a hundred (a few bytes each rather than a key each).
import { describe, expect, it } from 'vitest';
import { markUpdateIn, seenUpdate, updateMark, UPDATE_MEMORY_SECONDS } from '../../src/store/update-marks.js';
import { redisForFile } from '../support/redis.js';

const file = redisForFile();

describe('update marks', () => {
  it('remembers each update apart, and nothing it was not told', async () => {
    const r = file.client;
    for (const id of ['tg:77:1000', 'tg:77:1099', 'tg:5', 'wa:line1:Zm9v']) {
      expect(await seenUpdate(r, id)).toBe(false);
      await markUpdateIn(r.multi(), id).exec();
      expect(await seenUpdate(r, id)).toBe(true);
    }
    // Neighbours in the same bucket, another bot's update and another line's message stay unseen.
    for (const id of ['tg:77:1001', 'tg:78:1000', 'tg:77:1100', 'tg:6', 'wa:line2:Zm9v']) expect(await seenUpdate(r, id)).toBe(false);
  });

  it('puts a hundred consecutive Telegram updates in one small hash that expires', async () => {
    const r = file.client;
    await r.flushdb();
    for (let n = 200; n < 300; n++) await markUpdateIn(r.multi(), `tg:9:${n}`).exec();
    const keys = await r.keys('tl:update:*');
    expect(keys).toEqual([updateMark('tg:9:250').key]);
    expect(await r.object('ENCODING', keys[0]!)).toBe('listpack');
    expect(await r.ttl(keys[0]!)).toBeGreaterThan(UPDATE_MEMORY_SECONDS - 60);
    // ~100 marks in well under the ~9 KB that a key each took.
    expect(Number(await r.call('MEMORY', 'USAGE', keys[0]!))).toBeLessThan(1_500);
  });
});
