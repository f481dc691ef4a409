// A reporter's conversation with the hotline before (and around) a case: where they
// are in the flow, what they answered, what they wrote. It is stored encrypted, keyed
// by the reporter key, and versioned: a state of another version is dropped, never
// misread (a reporter then starts again rather than seeing someone's garbled answers).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { languages, type ChannelName, type Lang } from '../shared/index.js';

export const CONVERSATION_VERSION = 1;

/** Kinds of evidence a reporter can send; everything else is described in words. */
export const evidenceKinds = ['photo', 'document', 'voice', 'audio', 'video'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

const evidence = z.object({
  /** position in the draft; names the encrypted blob */
  n: z.number().int().nonnegative(),
  media: z.enum(evidenceKinds),
  size: z.number().int().nonnegative(),
  mime: z.string().optional(),
  /** the name the reporter's phone gave it: kept by drafts of older versions only (it can name them) */
  name: z.string().optional(),
  /** the extension it is kept and shown under (see src/evidence) */
  ext: z.string().optional(),
  /** false: a format that could not be cleaned of its metadata, kept as sent */
  cleaned: z.boolean().optional(),
  /** its voice was masked, and how strongly (VOICE_MASK) */
  masked: z.enum(['light', 'strong']).optional(),
  caption: z.string().optional(),
  at: z.number(),
  /** already in the open case (an urgent report opened it): not written again on submit */
  sent: z.boolean().optional(),
});
export type EvidenceRef = z.infer<typeof evidence>;

const schema = z.object({
  v: z.literal(CONVERSATION_VERSION),
  /** random id of this conversation: names its evidence and its reminder job */
  cid: z.string(),
  /** 'intake' until the report is sent; 'after' holds a pending question about a sent case */
  phase: z.enum(['intake', 'after']),
  channel: z.enum(['telegram', 'whatsapp']),
  lang: z.enum(languages),
  step: z.string(),
  /** where /language, /cancel or /resume return to */
  back: z.string().optional(),
  /** set while the reporter edits one answer from the review */
  returnTo: z.string().optional(),
  answers: z.record(z.string(), z.string()),
  /** the free-text account, message by message */
  account: z.array(z.string()),
  /** anything else the reporter wrote during the questions: kept for the counsellor */
  notes: z.array(z.string()),
  evidence: z.array(evidence),
  urgent: z.boolean(),
  /** set when an urgent report opened the case before the questions were finished */
  caseId: z.string().optional(),
  /**
   * Messages passed straight to that open case during the questions. They are the
   * reporter's account as far as the account question is concerned.
   */
  relayed: z.number().int().nonnegative().optional(),
  /** a report the reporter started with /new beside the case(s) they have: it opens a case of its own */
  alongside: z.boolean().optional(),
  /** the codes of the reporter's cases a pending 'case' question offers, in the menu's order */
  choices: z.array(z.string()).optional(),
  /** the remaining questions were offered once after a message on the open case */
  offered: z.boolean().optional(),
  /** the step at which the reporter was told their typed text was kept (told once per step) */
  told: z.string().optional(),
  /** the platform address sealed to the relay key, for the reminder */
  returnAddress: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  reminded: z.boolean(),
});
export type Conversation = z.infer<typeof schema>;

/** Parses decrypted JSON; undefined for another version or a malformed state. */
export function parseConversation(json: unknown): Conversation | undefined {
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function newConversation(o: {
  channel: ChannelName;
  lang: Lang;
  step: string;
  returnAddress: Buffer;
  now: number;
  phase?: Conversation['phase'];
  alongside?: boolean;
}): Conversation {
  return {
    v: CONVERSATION_VERSION,
    cid: randomBytes(9).toString('base64url'),
    phase: o.phase ?? 'intake',
    channel: o.channel,
    lang: o.lang,
    step: o.step,
    answers: {},
    account: [],
    notes: [],
    evidence: [],
    urgent: false,
    returnAddress: o.returnAddress.toString('base64'),
    startedAt: o.now,
    updatedAt: o.now,
    reminded: false,
    ...(o.alongside ? { alongside: true } : {}),
  };
}
