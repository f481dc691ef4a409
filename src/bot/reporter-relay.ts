// The reporter edge, outbound: opens a case's sealed return address only for the
// moment of sending, and delivers counsellor answers in order, each exactly once.
import { t } from '../flows/i18n.js';
import type { KeyRing, OpenedCache } from '../crypto/index.js';
import type { CaseId, ChannelName } from '../ids.js';
import type { Logger } from '../log.js';
import { NotYet, Undeliverable } from '../queue/failures.js';
import type { CaseLog } from '../routing/case-log.js';
import type { CaseStore } from '../store/cases.js';
import { tryLease } from '../store/lock.js';
import type { Redis } from '../store/redis.js';
import type { ReporterChannel } from './channel.js';
import { openReturnAddress } from './return-address.js';

export interface ReporterRelayDeps {
  redis: Redis;
  store: CaseStore;
  caseLog: CaseLog;
  log: Logger;
  keys: KeyRing;
  channels: ReadonlyMap<ChannelName, ReporterChannel>;
  leaseMs: number;
  /** keeps opened return addresses briefly: a conversation delivers several answers */
  opened?: OpenedCache;
}

export function createReporterRelay(deps: ReporterRelayDeps) {
  const { store } = deps;

  async function flush(caseId: CaseId): Promise<void> {
    const lease = await tryLease(deps.redis, `reporter:${caseId}`, deps.leaseMs);
    if (!lease) throw new NotYet('another worker is delivering to this reporter');
    try {
      const record = await store.get(caseId);
      if (!record) return;
      const to = openReturnAddress(deps.keys, record.returnAddress, deps.opened);
      const channel = deps.channels.get(to.channel);
      if (!channel) throw new Undeliverable(`channel ${to.channel} is not running`);
      const key = deps.caseLog.caseKey(record);
      try {
        for (let seq = record.done.out + 1; seq <= record.count.out; seq++) {
          const message = await deps.caseLog.read(record, key, 'out', seq);
          if (!message) throw new NotYet('an answer of this case is still being written');
          if (message.entry.kind === 'text') {
            await channel.deliver(to.address, `${t(record.lang, 'counsellor-says')}\n${message.entry.text}`);
          }
          await store.markDone(caseId, 'out', seq);
          deps.log.info({ event: 'reporter.delivered', case: record.code, seq, channel: to.channel }, 'answer delivered');
        }
      } finally {
        key.fill(0);
      }
      await store.clearPendingIfCaughtUp(caseId, 'out');
    } finally {
      await lease.release();
    }
  }

  return { flush };
}
