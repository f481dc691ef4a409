// WhatsApp as a ReporterChannel: the reporter relay's way out. The return address
// names the line a case came through, so the answer leaves from that same number.
import { Undeliverable } from '../../shared/index.js';
import type { ReporterChannel } from '../../relay/index.js';
import { parseLineAddress } from './jid.js';

export interface LineSender {
  send(jid: string, text: string): Promise<void>;
  sendFile(jid: string, file: { bytes: Uint8Array; mime: string; name: string; caption: string }): Promise<void>;
}

export function whatsappChannel(lines: ReadonlyMap<string, LineSender>): ReporterChannel {
  return {
    name: 'whatsapp',
    async deliver(address, text) {
      const to = parseLineAddress(address);
      if (!to) throw new Undeliverable('malformed WhatsApp return address');
      const line = lines.get(to.line);
      // A line removed from WHATSAPP_NUMBERS will not come back by retrying.
      if (!line) throw new Undeliverable(`WhatsApp line ${to.line} is not configured`);
      await line.send(to.jid, text);
    },
    async deliverFile(address, file) {
      const to = parseLineAddress(address);
      if (!to) throw new Undeliverable('malformed WhatsApp return address');
      const line = lines.get(to.line);
      if (!line) throw new Undeliverable(`WhatsApp line ${to.line} is not configured`);
      await line.sendFile(to.jid, { bytes: file.bytes, mime: file.mime, name: `${file.photo ? 'photo' : 'document'}.${file.ext}`, caption: file.caption });
    },
  };
}
