// The seam between the domain and a chat platform. Only code under src/bot/ ever
// holds a platform address in clear, and only for the moment it is used.
import type { ChannelName } from '../ids.js';

export interface ReporterChannel {
  readonly name: ChannelName;
  /**
   * Sends text to a platform address (a Telegram chat id, a WhatsApp JID). Where the
   * channel can edit what it sent, returns the sent message's id in that chat (only
   * when the text went as one message).
   */
  deliver(address: string, text: string): Promise<string | void>;
  /** Replaces the text of a message deliver() sent; absent where the platform cannot. */
  edit?(address: string, messageId: string, text: string): Promise<void>;
}
