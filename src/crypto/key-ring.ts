// The keys a running hotline holds in memory: the staff and relay key pairs (every
// generation that can still open something) and the pepper of reporter handles. Where
// they come from on disk is src/keys/.
import { randomBytes } from 'node:crypto';
import { newKeyPair, type KeyPair } from './sealed.js';

export const KEY_BYTES = 32;

export const keyRoles = ['staff', 'relay'] as const;
export type KeyRole = (typeof keyRoles)[number];

export interface KeyRing {
  staff: KeyPair;
  relay: KeyPair;
  pepper: Uint8Array;
  /** Key pairs that can open staff-sealed values (current now; retired ones after rotation). */
  staffSecrets: ReadonlyMap<string, KeyPair>;
  relaySecrets: ReadonlyMap<string, KeyPair>;
}

function ringOf(staff: KeyPair, relay: KeyPair, pepper: Uint8Array): KeyRing {
  return {
    staff,
    relay,
    pepper,
    staffSecrets: new Map([[staff.kid, staff]]),
    relaySecrets: new Map([[relay.kid, relay]]),
  };
}

/** In-memory keys for tests and the sandbox (libsodium must be ready). */
export function generateKeyRing(): KeyRing {
  return ringOf(newKeyPair(), newKeyPair(), randomBytes(KEY_BYTES));
}
