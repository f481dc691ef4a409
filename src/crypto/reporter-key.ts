// The only reporter handle Redis ever sees: a keyed BLAKE2b of channel + address.
// Without the pepper nobody can test a guessed phone number or chat id against it.
import type { ChannelName, ReporterKey } from '../shared/index.js';
import { sodium } from './sodium.js';

const PEPPER_BYTES = 32;

/** Deterministic, pepper-dependent pseudonymous key for one reporter on one channel. */
export function reporterKeyOf(pepper: Uint8Array, channel: ChannelName, address: string): ReporterKey {
  if (pepper.length !== PEPPER_BYTES) throw new RangeError(`pepper must be ${PEPPER_BYTES} bytes`);
  // Channel names contain no ':', so "channel:address" cannot collide across channels.
  const digest = sodium().crypto_generichash(32, Buffer.from(`${channel}:${address}`, 'utf8'), pepper);
  return Buffer.from(digest).toString('base64url') as ReporterKey;
}
