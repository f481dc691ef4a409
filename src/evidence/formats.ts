// The extension a reporter's file is kept and shown under: from the type the platform
// gave, else the extension of the name they gave it (the name itself is dropped: it can
// name them, "Aigerim_complaint.docx"), else what the kind of message usually is.
import type { EvidenceKind } from '../store/index.js';

const BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/tiff': 'tiff',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/zip': 'zip',
  'text/plain': 'txt',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/3gpp': '3gp',
};

const BY_MEDIA: Record<EvidenceKind, string> = { photo: 'jpg', voice: 'ogg', video: 'mp4', audio: 'mp3', document: 'bin' };

export function extensionOf(file: { media: EvidenceKind; mime?: string; name?: string }): string {
  const mime = file.mime?.split(';')[0]?.trim().toLowerCase();
  const fromMime = mime ? BY_MIME[mime] : undefined;
  const fromName = /\.([a-z0-9]{1,5})$/i.exec(file.name ?? '')?.[1]?.toLowerCase();
  return fromMime ?? fromName ?? BY_MEDIA[file.media];
}

/** The type a kept file is sent as, from its extension (the first type that maps to it). */
export function mimeOf(ext: string): string | undefined {
  return Object.entries(BY_MIME).find(([, e]) => e === ext)?.[0];
}
