// Request bodies the way the Bot API accepts them: JSON, multipart/form-data (grammY's
// choice whenever an InputFile is in the payload), urlencoded, or a query string.
// Note grammY writes multipart headers as `content-disposition:form-data;name="x";
// filename=y` (no spaces, unquoted filename), so the parser is deliberately lenient.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, type Params } from './params.js';

/** Telegram accepts uploads up to 50 MB; a little headroom for the multipart framing. */
const MAX_BODY = 52 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseParams(body: Buffer, contentType: string | undefined, query: URLSearchParams): Params {
  const params: Params = Object.fromEntries(query);
  const type = (contentType ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.startsWith('multipart/form-data')) return Object.assign(params, parseMultipart(body, contentType!));
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('JSON object expected');
  return Object.assign(params, parsed);
}

interface FilePart {
  filename: string;
  size: number;
  /** the uploaded bytes, so getFile and tests can read back what a bot sent */
  data: Buffer;
}

/**
 * Fields become strings; file parts become `{ file: { filename, size, data } }`, substituted
 * wherever a field says `attach://<name>` or, failing that, under the part's own name.
 */
function parseMultipart(body: Buffer, contentType: string): Params {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw badRequest('multipart boundary is missing');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields: Params = {};
  const files = new Map<string, FilePart>();
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--boundary--"
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    readPart(body.subarray(start, next), fields, files);
    pos = next;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || !value.startsWith('attach://')) continue;
    const file = files.get(value.slice(9));
    if (file) {
      fields[key] = { file };
      files.delete(value.slice(9));
    }
  }
  for (const [name, file] of files) fields[name] ??= { file };
  return fields;
}

function readPart(part: Buffer, fields: Params, files: Map<string, FilePart>): void {
  // part = CRLF headers CRLF CRLF content CRLF
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd === -1) return;
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const disposition = headers.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l)) ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) return;
  let content = part.subarray(headerEnd + 4);
  if (content.length >= 2 && content[content.length - 2] === 0x0d && content[content.length - 1] === 0x0a) {
    content = content.subarray(0, content.length - 2);
  }
  const filename = /\bfilename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(disposition);
  if (filename) {
    const file = { filename: (filename[1] ?? filename[2] ?? '').trim(), size: content.length } as FilePart;
    // Not enumerable: call records are printed as JSON, and the bytes would swamp them.
    Object.defineProperty(file, 'data', { value: Buffer.from(content), enumerable: false });
    files.set(name, file);
  } else fields[name] = content.toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
