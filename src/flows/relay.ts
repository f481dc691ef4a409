// After the report: what the reporter writes joins their case, encrypted, and is
// queued for the staff chat in order, each update exactly once.
import type { CaseRecord } from '../store/index.js';
import type { Entry } from '../cases/index.js';
import { cleaningNotes, fileEntryOf, keptAs, refusal, takeEvidence } from './evidence.js';
import { t } from '../i18n/index.js';
import type { Inbound } from './inbound.js';
import { type Handled, type IntakeContext, say } from './intake-context.js';
import type { Reply } from './reply.js';
import { emergencyReply, flagCase } from './urgent.js';

export async function relay(ctx: IntakeContext, inbound: Inbound, record: CaseRecord): Promise<Handled> {
  const { content } = inbound;
  const lang = record.lang;
  const at = ctx.now();
  const replies: Reply[] = [];
  if ((content.kind === 'text' || content.kind === 'edit') && content.text.trim() === '') {
    if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
    return { lang, replies: [say(t(lang, 'empty'))] };
  }
  if (content.kind === 'choice') return { lang, replies }; // a button of a finished conversation

  const words = content.kind === 'text' || content.kind === 'edit' ? content.text : content.caption;
  if (words !== undefined && ctx.risk(words)) {
    await flagCase(ctx, record);
    if (await ctx.conversations.claimEmergencyNotice(inbound.reporterKey)) replies.push(emergencyReply(ctx, lang));
  }

  const links = inbound.deliveryId ? { updateId: inbound.deliveryId } : {};
  let seq: number;
  if (content.kind === 'file') {
    const fetched = await takeEvidence(content, ctx.config.evidence.maxBytes, ctx);
    if (!fetched.ok) {
      replies.push(say(refusal(lang, fetched, ctx.config.evidence.maxBytes)));
      // Nothing is lost: a caption still reaches the counsellor.
      if (!content.caption?.trim()) {
        if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
        return { lang, replies };
      }
      seq = await ctx.caseLog.append(record, 'in', { kind: 'text', text: content.caption, at }, links);
    } else {
      const entry = fileEntryOf({
        media: content.media,
        ...(content.mime ? { mime: content.mime } : {}),
        ...keptAs(fetched),
        ...(content.caption?.trim() ? { caption: content.caption } : {}),
        at,
      });
      seq = await ctx.caseLog.appendFile(record, entry, fetched.bytes, links);
      replies.push(say(t(lang, 'file-passed-on')), ...(await cleaningNotes(ctx, inbound.reporterKey, lang, fetched)));
    }
  } else {
    const entries: Entry[] = [];
    if (content.kind === 'unsupported') {
      entries.push({ kind: 'note', note: 'unsupported-media', media: content.media, at });
      if (content.caption?.trim()) entries.push({ kind: 'text', text: content.caption, at });
      replies.push(say(t(lang, 'evidence-unsupported', { kind: content.media }) + (entries.length > 1 ? ` ${t(lang, 'caption-forwarded')}` : '')));
    } else {
      entries.push({ kind: content.kind, text: content.text, at });
      if (content.kind === 'edit') replies.push(say(t(lang, 'edit-received')));
    }
    seq = 0;
    for (const [i, entry] of entries.entries()) {
      seq = await ctx.caseLog.append(record, 'in', entry, i === entries.length - 1 ? links : {});
    }
  }
  await ctx.pipeline.postToStaff(record, seq, undefined, record.urgent ? 'urgent' : 'conversation');
  ctx.log.info({ event: 'reporter.message', case: record.code, seq, kind: content.kind }, 'reporter message queued');
  return { lang, replies, ack: content.kind === 'text' && replies.length === 0 };
}
