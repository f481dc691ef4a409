// A backup of everything Trustline keeps in Redis, key by key (DUMP, with each key's
// time to live), in one file encrypted with libsodium's secretstream under a key derived
// from pepper.key: a stolen backup reads as nothing without the key files, and a changed
// or cut file is refused, not half-restored. Redis's own content is ciphertext and
// keyed hashes already; the backup's encryption hides even the metadata.
//
// The file: a line naming the format, the secretstream header, then chunks (a 4-byte
// length and the ciphertext): a JSON header, batches of records, and a final JSON summary.
// A record: 4-byte key length, the key, 8-byte PTTL (-1: none), 4-byte dump length, the dump.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { sodium } from '../crypto/index.js';
import { redisKeys, ReporterCaseStore, scanKeys } from '../store/index.js';
import type { CaseId, ReporterKey } from '../shared/index.js';

const MAGIC = Buffer.from('TRUSTLINE-BACKUP-1\n');
const BATCH_BYTES = 1 << 20;

export interface BackupSummary {
  /** when the backup was taken (ms) */
  at: number;
  keys: number;
  cases: number;
  conversations: number;
  /** the dumps' size, before encryption */
  bytes: number;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/** The key a backup is sealed with: BLAKE2b keyed with the pepper, never the pepper itself. */
function backupKey(pepper: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, Buffer.from('trustline/backup/v1'), pepper);
}

const isCase = (key: string) => /^tl:case:[^:]+$/.test(key);
const isConversation = (key: string) => /^tl:conv:[^:]+$/.test(key);

/**
 * Writes every key of the database to `file`. Key by key: a key written meanwhile may be
 * in its state of before or after, as in any live copy; each key is whole.
 */
export async function writeBackup(redis: Redis, pepper: Uint8Array, file: string, onProgress?: (keys: number) => void): Promise<BackupSummary> {
  const s = sodium();
  const key = backupKey(pepper);
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  const out = createWriteStream(file, { mode: 0o600 });
  const write = async (chunk: Uint8Array) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const push = async (plain: Uint8Array, final = false) => {
    const tag = final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const sealed = s.crypto_secretstream_xchacha20poly1305_push(state, plain, null, tag);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length);
    await write(length);
    await write(sealed);
  };
  const summary: BackupSummary = { at: Date.now(), keys: 0, cases: 0, conversations: 0, bytes: 0 };
  try {
    await write(MAGIC);
    await write(header);
    await push(Buffer.from(JSON.stringify({ v: 1, at: summary.at })));
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const names: string[] = [];
    const flush = async () => {
      if (!names.length) return;
      const m = redis.multi();
      for (const name of names) m.dumpBuffer(name).pttl(name);
      const replies = (await m.exec()) ?? [];
      names.forEach((name, i) => {
        const dump = replies[2 * i]?.[1] as Buffer | null;
        const ttl = Number(replies[2 * i + 1]?.[1] ?? -1);
        if (!dump) return; // gone meanwhile
        const k = Buffer.from(name);
        const head = Buffer.alloc(4);
        head.writeUInt32BE(k.length);
        const meta = Buffer.alloc(12);
        meta.writeBigInt64BE(BigInt(ttl < 0 ? -1 : ttl), 0);
        meta.writeUInt32BE(dump.length, 8);
        batch.push(head, k, meta, dump);
        batchBytes += 16 + k.length + dump.length;
        summary.keys++;
        summary.bytes += dump.length;
        if (isCase(name)) summary.cases++;
        if (isConversation(name)) summary.conversations++;
      });
      names.length = 0;
      if (batchBytes >= BATCH_BYTES) {
        await push(Buffer.concat(batch));
        batch = [];
        batchBytes = 0;
      }
      onProgress?.(summary.keys);
    };
    for await (const name of scanKeys(redis, '*')) {
      names.push(name);
      if (names.length >= 500) await flush();
    }
    await flush();
    if (batch.length) await push(Buffer.concat(batch));
    await push(Buffer.from(JSON.stringify(summary)), true);
  } finally {
    key.fill(0);
    out.end();
    await once(out, 'close');
  }
  return summary;
}

/** Opens a backup and hands each record to `onRecord`; throws BackupError for a wrong key or a changed or cut file. */
export async function readBackup(
  pepper: Uint8Array,
  file: string,
  onRecord: (key: string, pttl: number, dump: Buffer) => Promise<void> | void,
): Promise<BackupSummary> {
  const s = sodium();
  const key = backupKey(pepper);
  let data = Buffer.alloc(0);
  let state: ReturnType<typeof s.crypto_secretstream_xchacha20poly1305_init_pull> | undefined;
  let summary: BackupSummary | undefined;
  let chunk = 0;
  const handle = async (plain: Uint8Array, tag: number) => {
    chunk++;
    if (chunk === 1) return; // the header
    if (tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      summary = JSON.parse(Buffer.from(plain).toString('utf8')) as BackupSummary;
      return;
    }
    const b = Buffer.from(plain);
    for (let at = 0; at < b.length;) {
      const klen = b.readUInt32BE(at);
      const name = b.toString('utf8', at + 4, at + 4 + klen);
      const ttl = Number(b.readBigInt64BE(at + 4 + klen));
      const dlen = b.readUInt32BE(at + 12 + klen);
      const dump = b.subarray(at + 16 + klen, at + 16 + klen + dlen);
      await onRecord(name, ttl, dump);
      at += 16 + klen + dlen;
    }
  };
  try {
    for await (const piece of createReadStream(file)) {
      data = Buffer.concat([data, piece as Buffer]);
      if (!state) {
        if (data.length < MAGIC.length + 24) continue;
        if (!data.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError(`${file} is not a Trustline backup`);
        state = s.crypto_secretstream_xchacha20poly1305_init_pull(data.subarray(MAGIC.length, MAGIC.length + 24), key);
        data = data.subarray(MAGIC.length + 24);
      }
      while (data.length >= 4 && data.length >= 4 + data.readUInt32BE(0)) {
        const length = data.readUInt32BE(0);
        let opened: { message: Uint8Array; tag: number } | false | undefined;
        try {
          opened = s.crypto_secretstream_xchacha20poly1305_pull(state, data.subarray(4, 4 + length), null);
        } catch {
          opened = undefined;
        }
        if (!opened) throw new BackupError(`${file} cannot be opened with these keys, or it was changed`);
        data = data.subarray(4 + length);
        await handle(opened.message, opened.tag);
      }
    }
  } finally {
    key.fill(0);
  }
  if (!state) throw new BackupError(`${file} is not a Trustline backup`);
  if (!summary || data.length) throw new BackupError(`${file} is cut short: its end is missing`);
  return summary;
}

/** The ids of the cases shredded or erased so far, kept for this (ids only, nothing else). */
export async function shreddedIds(redis: Redis): Promise<string[]> {
  return redis.smembers(redisKeys.shredded);
}

/**
 * Restores `file` into `redis`: an empty Redis, or any with `force` (keys in the backup
 * replace theirs). The whole file is checked before the first key is written. Then every
 * case erased or shredded since (the ids Redis lists after the restore, those it listed
 * before, and `shreds`, say from a newer backup's list) is erased again: a backup never
 * brings back a forgotten case.
 */
export async function restoreBackup(
  redis: Redis,
  pepper: Uint8Array,
  file: string,
  opts: { force: boolean; shreds?: readonly string[]; now: number },
): Promise<{ summary: BackupSummary; reapplied: number }> {
  if (!opts.force && (await redis.dbsize()) > 0) {
    throw new BackupError('This Redis is not empty: restore into an empty one, or add --force to replace the keys the backup has.');
  }
  await readBackup(pepper, file, () => undefined);
  const before = opts.force ? await shreddedIds(redis) : [];
  const summary = await readBackup(pepper, file, async (key, ttl, dump) => {
    await redis.restore(key, ttl > 0 ? ttl : 0, dump, 'REPLACE');
  });
  const ids = new Set([...(await shreddedIds(redis)), ...before, ...(opts.shreds ?? [])]);
  const cases = new ReporterCaseStore(redis);
  let reapplied = 0;
  for (const id of ids) {
    const [sealedKey, reporter] = await redis.hmget(redisKeys.case(id as CaseId), 'sealedKey', 'reporter');
    if (sealedKey) {
      await cases.erase(id as CaseId, (reporter ?? undefined) as ReporterKey | undefined, opts.now);
      reapplied++;
    }
    await redis.sadd(redisKeys.shredded, id);
  }
  return { summary, reapplied };
}

/**
 * The nightly backup (BACKUP_DIR): `trustline-<day>.tlbk` and its `.shredded` list, then
 * only the newest `keep` are kept. Named by the day in `timeZone`, so a second run the
 * same day replaces that day's.
 */
export async function nightlyBackup(o: {
  redis: Redis;
  pepper: Uint8Array;
  dir: string;
  keep: number;
  day: string;
}): Promise<{ file: string; summary: BackupSummary; removed: string[] }> {
  await mkdir(o.dir, { recursive: true });
  const file = join(o.dir, `trustline-${o.day}.tlbk`);
  const summary = await writeBackup(o.redis, o.pepper, `${file}.part`);
  await rename(`${file}.part`, file);
  await writeFile(`${file}.shredded`, (await shreddedIds(o.redis)).map((id) => `${id}\n`).join(''), { mode: 0o600 });
  const backups = (await readdir(o.dir)).filter((f) => /^trustline-\d{4}-\d{2}-\d{2}\.tlbk$/.test(f)).sort();
  const removed = backups.slice(0, Math.max(0, backups.length - o.keep));
  for (const old of removed) {
    await rm(join(o.dir, old), { force: true });
    await rm(join(o.dir, `${old}.shredded`), { force: true });
  }
  return { file, summary, removed };
}
