// Trustline's own notices to a reporter outside a conversation turn (the reminder of an
// unfinished report, its expiry): the sealed return address is opened only to send.
import type { KeyRing } from '../crypto/index.js';
import type { NotifyReporter } from '../flows/intake-timer.js';
import type { ChannelName } from '../ids.js';
import { Undeliverable } from '../queue/failures.js';
import type { ReporterChannel } from './channel.js';
import { openReturnAddress } from './return-address.js';

export function reporterNotifier(keys: KeyRing, channels: ReadonlyMap<ChannelName, ReporterChannel>): NotifyReporter {
  return async (returnAddress, text) => {
    const to = openReturnAddress(keys, returnAddress);
    const channel = channels.get(to.channel);
    if (!channel) throw new Undeliverable(`channel ${to.channel} is not running`);
    await channel.deliver(to.address, text);
  };
}
