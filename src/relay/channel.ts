// The seam between the domain and a chat platform. Only code under src/bot/ ever
// holds a platform address in clear, and only for the moment it is used.
import type { ChannelName } from '../shared/index.js';

export interface ReporterChannel {
  readonly name: ChannelName;
  /**
   * Sends text to a platform address (a Telegram chat id, a WhatsApp JID). Where the
   * channel can edit or delete what it sent, returns the ids of the messages it became
   * in that chat (several when a long text went in parts).
   */
  deliver(address: string, text: string, button?: ReplyButton): Promise<string[] | void>;
  /**
   * Sends a file (a counsellor's, cleaned of its metadata) under a neutral name; absent
   * where the channel cannot send files yet.
   */
  deliverFile?(address: string, file: OutgoingFile): Promise<string[] | void>;
  /** Replaces the text of a message deliver() sent; absent where the platform cannot. */
  edit?(address: string, messageId: string, text: string): Promise<void>;
}

/** A button under a message, where the channel has buttons (elsewhere the text says what to send instead). */
export interface ReplyButton {
  /** what a tap hands back, as a reporter's choice (`to-report:yes`) */
  data: string;
  label: string;
}

/** A file for the reporter: a photo is shown as one, anything else is a document named `document.<ext>`. */
export interface OutgoingFile {
  bytes: Uint8Array;
  photo: boolean;
  ext: string;
  /** its type as the counsellor's app gave it (WhatsApp needs one) */
  mime: string;
  caption: string;
}
