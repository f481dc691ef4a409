// Downloading what a reporter sent: getFile, then the bytes from
// {apiRoot}/file/bot<token>/<file_path>. The URL holds the bot token, so it never
// appears in an error message or a log line.
import { GrammyError, type Api } from 'grammy';
import { EvidenceTooBig } from '../../flows/index.js';

export interface TelegramFiles {
  download(fileId: string, maxBytes: number): Promise<Uint8Array>;
}

export function telegramFiles(api: Api, opts: { token: string; apiRoot: string }): TelegramFiles {
  return {
    async download(fileId, maxBytes) {
      const file = await api.getFile(fileId).catch((err: unknown) => {
        // Bots may not download files over 20 MB.
        if (err instanceof GrammyError && /file is too big/i.test(err.description)) throw new EvidenceTooBig('over the platform limit');
        throw err;
      });
      if (!file.file_path) throw new Error('Telegram returned no file path');
      if (file.file_size !== undefined && file.file_size > maxBytes) throw new EvidenceTooBig('file is larger than the limit');
      let res: Response;
      try {
        res = await fetch(`${opts.apiRoot}/file/bot${opts.token}/${file.file_path}`);
      } catch {
        throw new Error('file download failed: network error');
      }
      if (!res.ok || !res.body) throw new Error(`file download failed: HTTP ${res.status}`);
      // Read chunk by chunk so a lying size header cannot make us buffer more than the limit.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > maxBytes) throw new EvidenceTooBig('file is larger than the limit');
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
  };
}
