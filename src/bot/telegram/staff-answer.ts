// What the staff chat and a counsellor's private chat (need-to-know mode) do alike: run
// a staff command, and relay a counsellor's answer to the reporter.
import type { Message } from 'grammy/types';
import type { CaseLog } from '../../cases/index.js';
import type { Pipeline } from '../../queue/index.js';
import { type CaseDesk, type DeskResult, type StaffCommands, staffText } from '../../routing/index.js';
import { type CaseId, type Lang, type Logger, NotYet } from '../../shared/index.js';
import type { CaseStore, StaffRecord } from '../../store/index.js';
import { type EvidenceCleaner, mimeOf } from '../../evidence/index.js';
import { EvidenceTooBig } from '../../flows/index.js';
import type { TelegramFiles } from './files.js';

type CommandInput = Parameters<StaffCommands['run']>[0];

/** Runs a staff command; a case busy with another command is answered "try again in a moment", not failed. */
export async function runStaffCommand(commands: StaffCommands, lang: Lang, input: CommandInput): Promise<DeskResult> {
  try {
    return await commands.run(input);
  } catch (err) {
    if (!(err instanceof NotYet)) throw err;
    return { replies: [staffText(lang, 'cmd-busy')] };
  }
}

export interface AnswerDeps {
  store: CaseStore;
  caseLog: CaseLog;
  pipeline: Pipeline;
  caseDesk: CaseDesk;
  log: Logger;
}

/**
 * A counsellor's answer in a case, encrypted and queued for the reporter. The first
 * answer acknowledges the case; someone who recused may not answer it ('recused'); for
 * a case that is gone, answering changes nothing ('gone'). `holderOnly` (a private chat
 * in need-to-know mode): only whoever holds the case answers, not a supervisor reading it.
 */
export async function relayAnswer(
  deps: AnswerDeps,
  member: StaffRecord,
  caseId: CaseId,
  text: string,
  links: { staffMessageId?: number; updateId: string },
  holderOnly = false,
): Promise<'queued' | 'recused' | 'not-holder' | 'gone'> {
  // Read together with the case: for a case that is gone, answering changes nothing.
  const [record, answering] = await Promise.all([deps.store.get(caseId), deps.caseDesk.answered(member, caseId, holderOnly)]);
  if (!record) return 'gone';
  if (answering !== 'ok') return answering;
  const seq = await deps.caseLog.append(record, 'out', { kind: 'text', text, at: Date.now() }, links);
  await deps.pipeline.deliverToReporter(caseId, seq);
  deps.log.info({ event: 'staff.answer', case: record.code, seq }, 'answer queued for the reporter');
  return 'queued';
}

/** The photo (its largest size) or document of a counsellor's message, if it is one. */
export function staffFileOf(message: Message): StaffFile | undefined {
  const caption = message.caption ? { caption: message.caption } : {};
  const photo = message.photo?.at(-1);
  if (photo) return { fileId: photo.file_id, photo: true, mime: 'image/jpeg', ...caption };
  const doc = message.document;
  if (doc)
    return {
      fileId: doc.file_id,
      photo: false,
      ...(doc.mime_type ? { mime: doc.mime_type } : {}),
      ...(doc.file_name ? { name: doc.file_name } : {}),
      ...caption,
    };
  return undefined;
}

/** A photo or document a counsellor sent in a case, as Telegram describes it. */
export interface StaffFile {
  fileId: string;
  photo: boolean;
  mime?: string;
  name?: string;
  caption?: string;
}

/** Where a counsellor's file comes from, what cleans it, and how large it may be. */
export interface StaffFiles {
  telegram: TelegramFiles;
  cleaner: EvidenceCleaner;
  maxBytes: number;
}

export type FileAnswer = 'queued' | 'recused' | 'not-holder' | 'gone' | 'too-big' | 'not-cleaned';

/**
 * A file a counsellor sends the reporter (a leaflet, a form): downloaded, cleaned of its
 * metadata as a reporter's evidence is (a PDF's author would be the counsellor's name),
 * encrypted under the case key and queued like an answer, to Telegram or WhatsApp. A file
 * mat2 cannot clean is not sent: the counsellor hears why.
 */
export async function relayFile(
  deps: AnswerDeps,
  files: StaffFiles,
  member: StaffRecord,
  caseId: CaseId,
  file: StaffFile,
  links: { staffMessageId?: number; updateId: string },
  /** a private chat in need-to-know mode: only whoever holds the case sends in it */
  holderOnly = false,
): Promise<FileAnswer> {
  const record = await deps.store.get(caseId);
  if (!record) return 'gone';
  let bytes: Uint8Array;
  try {
    bytes = await files.telegram.download(file.fileId, files.maxBytes);
  } catch (err) {
    if (err instanceof EvidenceTooBig) return 'too-big';
    throw err;
  }
  const media = file.photo ? ('photo' as const) : ('document' as const);
  const cleaned = await files.cleaner.clean({ bytes, media, ...(file.mime ? { mime: file.mime } : {}), ...(file.name ? { name: file.name } : {}) });
  if (!cleaned.cleaned) return 'not-cleaned';
  const answering = await deps.caseDesk.answered(member, caseId, holderOnly);
  if (answering !== 'ok') return answering;
  const entry = {
    kind: 'file' as const,
    media,
    size: cleaned.bytes.length,
    ext: cleaned.ext,
    cleaned: true,
    // The type of what is kept (by its extension), else what the app said.
    ...(mimeOf(cleaned.ext) || file.mime ? { mime: mimeOf(cleaned.ext) ?? file.mime } : {}),
    ...(file.caption ? { caption: file.caption } : {}),
    at: Date.now(),
  };
  const seq = await deps.caseLog.appendFile(record, entry, cleaned.bytes, links, 'out');
  await deps.pipeline.deliverToReporter(caseId, seq);
  deps.log.info({ event: 'staff.file', case: record.code, seq, media }, 'a counsellor’s file queued for the reporter');
  return 'queued';
}
