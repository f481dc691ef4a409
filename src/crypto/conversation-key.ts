// The key that encrypts a reporter's unfinished conversation (answers, draft account,
// evidence) while it waits in Redis. Derived, not stored: keyed BLAKE2b of the reporter
// key under a subkey of the pepper. Intake already holds the pepper and needs no staff
// secret to read its own drafts; the pepper never enters Redis, so a dump of Redis
// (or its AOF, or a backup) opens nothing; deleting the draft is the erasure.
import type { ReporterKey } from '../shared/index.js';
import { sodium } from './sodium.js';

export function conversationKey(pepper: Uint8Array, rk: ReporterKey): Uint8Array {
  const na = sodium();
  const subkey = na.crypto_generichash(32, Buffer.from('trustline/conversation-key/v1'), pepper);
  const key = na.crypto_generichash(32, Buffer.from(rk, 'utf8'), subkey);
  na.memzero(subkey);
  return key;
}
