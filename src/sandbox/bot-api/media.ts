// Files and message content. People inject media with partial objects and we fill in
// what Telegram always sends (file_id, file_unique_id, sizes). Every file we mint is
// registered so a bot can re-send it by file_id; an unknown file_id gets Telegram's 400,
// which catches bots that forward ids across bots or mangle them.
import { randomBytes } from 'node:crypto';
import type { Message, PhotoSize } from 'grammy/types';
import { badRequest } from './params.js';
import { sampleFor } from './samples.js';

export const MEDIA_KEYS = ['animation', 'audio', 'document', 'photo', 'sticker', 'video', 'video_note', 'voice'] as const;
export type MediaKey = (typeof MEDIA_KEYS)[number];

/** Content keys that make a message a "real" (copyable, non-service) message. */
const CONTENT_KEYS = ['text', ...MEDIA_KEYS, 'contact', 'location', 'venue', 'poll', 'dice', 'game', 'story', 'invoice', 'paid_media', 'checklist'];

/** Envelope fields that belong to one delivery of a message, never to its content. */
const ENVELOPE_KEYS = new Set([
  'message_id',
  'message_thread_id',
  'from',
  'sender_chat',
  'chat',
  'date',
  'edit_date',
  'is_topic_message',
  'reply_to_message',
  'external_reply',
  'quote',
  'forward_origin',
  'reply_markup',
  'author_signature',
  'has_protected_content',
  'is_automatic_forward',
  'via_bot',
  'media_group_id',
  'link_preview_options',
]);

// Telegram's file_id prefixes per file type, so ids look like the real thing in logs.
const PREFIX: Record<MediaKey, string> = {
  photo: 'AgACAgIAAxkBAA',
  document: 'BQACAgIAAxkBAA',
  voice: 'AwACAgIAAxkBAA',
  video: 'BAACAgIAAxkBAA',
  sticker: 'CAACAgIAAxkBAA',
  audio: 'CQACAgIAAxkBAA',
  animation: 'CgACAgIAAxkBAA',
  video_note: 'DQACAgIAAxkBAA',
};

type Obj = Record<string, unknown>;

const DEFAULTS: Record<Exclude<MediaKey, 'photo'>, Obj> = {
  animation: { width: 320, height: 240, duration: 2, mime_type: 'video/mp4' },
  audio: { duration: 30, mime_type: 'audio/mpeg' },
  document: { file_name: 'file.dat', mime_type: 'application/octet-stream' },
  sticker: { width: 512, height: 512, type: 'regular', is_animated: false, is_video: false, emoji: '🙂' },
  video: { width: 640, height: 360, duration: 5, mime_type: 'video/mp4' },
  video_note: { length: 240, duration: 5 },
  voice: { duration: 3, mime_type: 'audio/ogg' },
};

export const isServiceMessage = (m: Message): boolean => !CONTENT_KEYS.some((k) => k in m);

/** The content part of a message, as copyMessage/forwardMessage carry it over. */
export function contentOf(m: Message): Partial<Message> {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !ENVELOPE_KEYS.has(k)));
}

/** Telegram lets bots download files up to 20 MB through getFile. */
export const DOWNLOAD_LIMIT = 20 * 1024 * 1024;

const dataOf = (o: Obj | undefined): Buffer | undefined => (Buffer.isBuffer(o?.data) ? o.data : undefined);

/** A file's bytes: what was uploaded, or (for files people send) drawn on first download. */
interface Stored {
  size: number;
  data?: Buffer;
  path?: string;
}

export class FileRegistry {
  private seq = 0;
  private readonly byId = new Map<string, { key: MediaKey; value: unknown }>();
  private readonly bytes = new Map<string, Stored>();
  private readonly byPath = new Map<string, string>();

  private ids(key: MediaKey): { file_id: string; file_unique_id: string } {
    const n = (++this.seq).toString(36);
    const rnd = randomBytes(24).toString('base64url');
    return { file_id: `${PREFIX[key]}${n}${rnd}`, file_unique_id: `AgAD${n}${rnd.slice(0, 8)}` };
  }

  private fileObject(key: Exclude<MediaKey, 'photo'>, partial: Obj, size: number, data?: Buffer): Obj {
    const filled = { ...this.ids(key), ...DEFAULTS[key], file_size: size, ...partial };
    this.byId.set(filled.file_id, { key, value: filled });
    this.bytes.set(filled.file_id, { size: Number(filled.file_size), ...(data ? { data } : {}) });
    return filled;
  }

  private photoSizes(partial: Obj[], size: number, data?: Buffer): PhotoSize[] {
    const given =
      partial.length > 0
        ? partial
        : [
            { width: 90, height: 67 },
            { width: 320, height: 240 },
            { width: 800, height: 600 },
          ];
    const sizes = given.map((p, i) => ({
      ...this.ids('photo'),
      width: 800,
      height: 600,
      file_size: Math.round(size / (given.length - i)),
      ...p,
    })) as PhotoSize[];
    for (const [i, s] of sizes.entries()) {
      this.byId.set(s.file_id, { key: 'photo', value: sizes });
      // An uploaded photo is kept whole as its largest size (Telegram would re-encode it).
      const last = i === sizes.length - 1;
      this.bytes.set(s.file_id, last && data ? { size: data.length, data } : { size: s.file_size ?? size });
      if (last && data) s.file_size = data.length;
    }
    return sizes;
  }

  /** getFile: a download path for a known file, or Telegram's 400s. */
  fileInfo(fileId: string): { file_id: string; file_unique_id: string; file_size: number; file_path: string } {
    const known = this.byId.get(fileId);
    const stored = this.bytes.get(fileId);
    if (!known || !stored) throw badRequest('wrong file_id or the file is temporarily unavailable');
    if (stored.size > DOWNLOAD_LIMIT) throw badRequest('file is too big');
    const folder = known.key === 'photo' ? 'photos' : `${known.key}s`;
    stored.path ??= `${folder}/file_${this.byPath.size}.${known.key === 'photo' ? 'jpg' : 'dat'}`;
    this.byPath.set(stored.path, fileId);
    const value = known.value as Obj | Obj[];
    const object = (Array.isArray(value) ? value.find((v) => v.file_id === fileId) : value) as Obj;
    return { file_id: fileId, file_unique_id: String(object.file_unique_id), file_size: stored.size, file_path: stored.path };
  }

  /**
   * The bytes behind a file_id. For a file a person sent without the test giving its
   * bytes: a real file of its kind (a JPEG, an OGG voice note...), padded to its size
   * with what decoders skip after the end; random bytes for other documents.
   */
  content(fileId: string): Buffer | undefined {
    const stored = this.bytes.get(fileId);
    if (!stored) return undefined;
    if (!stored.data) {
      const known = this.byId.get(fileId)!;
      const value = (Array.isArray(known.value) ? {} : known.value) as { mime_type?: unknown; file_name?: unknown };
      const sample = sampleFor(known.key, value);
      stored.data = sample ? Buffer.concat([sample, randomBytes(Math.max(0, stored.size - sample.length))]) : randomBytes(stored.size);
      stored.size = stored.data.length;
    }
    return stored.data;
  }

  /** The bytes behind a path getFile handed out. */
  contentAt(path: string): Buffer | undefined {
    const id = this.byPath.get(path);
    return id === undefined ? undefined : this.content(id);
  }

  /**
   * Fills partial media objects in injected content. A test that needs a file's real
   * bytes (a JPEG with GPS tags) gives them as `data` (the largest size of a photo);
   * otherwise they are drawn at random on first download.
   */
  complete(content: Obj): Partial<Message> {
    const out: Obj = { ...content };
    for (const key of MEDIA_KEYS) {
      const v = content[key];
      if (v === undefined) continue;
      if (key === 'photo') {
        const sizes = Array.isArray(v) ? (v as Obj[]) : [];
        const data = dataOf(sizes.at(-1));
        out[key] = this.photoSizes(
          sizes.map(({ data: _, ...size }) => size),
          data?.length ?? 50_000,
          data,
        );
      } else {
        const { data: _, ...partial } = v as Obj;
        const data = dataOf(v as Obj);
        out[key] = this.fileObject(key, data ? { file_size: data.length, ...partial } : partial, data?.length ?? 20_000, data);
      }
    }
    // Telegram also reports an animation as a document, for old clients
    if (out.animation && !out.document) out.document = out.animation;
    return out;
  }

  /**
   * Media for sendPhoto/sendDocument/…: a known file_id is re-used, an uploaded file
   * (multipart) or an http(s) URL becomes a new file, anything else is Telegram's 400.
   */
  fromParam(key: MediaKey, value: unknown, extra: Obj): Partial<Message> {
    if (typeof value === 'string' && this.byId.has(value)) {
      const known = this.byId.get(value)!;
      if (known.key !== key && !(key === 'document' && known.key !== 'photo')) {
        throw badRequest(`wrong file identifier/HTTP URL specified`);
      }
      return { [key]: known.value };
    }
    const upload = typeof value === 'object' && value !== null ? (value as { file?: { filename?: string; size?: number; data?: Buffer } }).file : undefined;
    const isUrl = typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
    if (!upload && !isUrl) throw badRequest(`wrong file identifier/HTTP URL specified`);
    const size = upload?.size ?? 20_000;
    if (key === 'photo') return { photo: this.photoSizes([], size, upload?.data) };
    const name = upload?.filename ?? (isUrl ? value.split('/').pop() : undefined);
    const named = key === 'document' || key === 'audio' || key === 'video' || key === 'animation';
    const file = this.fileObject(key, { ...(named && name ? { file_name: name } : {}), ...extra }, size, upload?.data);
    return (key === 'animation' ? { animation: file, document: file } : { [key]: file }) as Partial<Message>;
  }
}
