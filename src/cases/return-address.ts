// A reporter's platform address, sealed to the relay key: staff, Redis and BullMQ
// only ever hold this opaque blob.
import { open, seal, type KeyRing, type OpenedCache } from '../crypto/index.js';
import type { ChannelName } from '../shared/index.js';

export interface ReturnAddress {
  channel: ChannelName;
  address: string;
}

export function sealReturnAddress(keys: KeyRing, to: ReturnAddress): Buffer {
  return seal(keys.relay.publicKey, JSON.stringify({ c: to.channel, a: to.address }));
}

export function openReturnAddress(keys: KeyRing, sealed: Buffer, opened?: OpenedCache): ReturnAddress {
  const plain = opened ? opened.open(keys.relaySecrets, sealed) : open(keys.relaySecrets, sealed);
  const { c, a } = JSON.parse(plain.toString('utf8')) as { c: ChannelName; a: string };
  plain.fill(0);
  return { channel: c, address: a };
}
