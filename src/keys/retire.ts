// `trustline keys retire <kid>`: re-seal, verify nothing is left, then destroy.
import type { Redis } from 'ioredis';
import { type KeyRing, type KeyRole } from '../crypto/index.js';
import { generationOf, retireGeneration } from './generations.js';
import { findSealedTo, resealCases, type Reseal } from './reseal.js';
import { sealingKeys } from './sealing.js';

/** Retirement stopped before any secret was deleted; the message says why and what to do. */
export class RetireRefused extends Error {
  override readonly name = 'RetireRefused';
}

export interface Retirement extends Reseal {
  role: KeyRole;
  removed: string[];
}

export async function retireKey({ redis, ring, dir, kid }: { redis: Redis; ring: KeyRing; dir: string; kid: string }): Promise<Retirement> {
  const generation = generationOf(ring, kid);
  if (generation === undefined) throw new RetireRefused(`no ${kid} among the keys in ${dir}`);
  const { role } = generation;
  if (generation.current) {
    throw new RetireRefused(`${kid} is the current ${role} key; run \`trustline keys rotate\` first`);
  }
  const sealing = await sealingKeys(redis);
  if (sealing[role] === kid) {
    throw new RetireRefused(
      `a running Trustline last started with ${kid} as its ${role} key and may still seal new cases to it. ` +
        'Restart every Trustline process (so they load the rotated keys), then retire.',
    );
  }
  const resealed = await resealCases(redis, ring, role, kid);
  const leftovers = await findSealedTo(redis, kid);
  if (resealed.failed.length > 0 || leftovers.length > 0) {
    throw new RetireRefused(
      `${kid} was not deleted: ${resealed.failed.length} case(s) sealed to it could not be opened ` +
        `and ${leftovers.length} value(s) in Redis are still sealed to it` +
        (leftovers.length ? ` (${leftovers.slice(0, 10).join(', ')}${leftovers.length > 10 ? ', ...' : ''})` : '') +
        '. Nothing sealed to the current key was lost; investigate, then run retire again.',
    );
  }
  const { removed } = await retireGeneration(dir, kid);
  return { ...resealed, role, removed };
}
