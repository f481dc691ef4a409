// The seam between the domain and a chat platform. Only code under src/bot/ ever
// holds a platform address in clear, and only for the moment it is used.
import type { ChannelName } from '../ids.js';

export interface ReporterChannel {
  readonly name: ChannelName;
  /** Sends text to a platform address (a Telegram chat id, a WhatsApp JID). */
  deliver(address: string, text: string): Promise<void>;
}
