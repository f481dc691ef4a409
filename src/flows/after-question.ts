// A question asked once the report is sent (/withdraw's confirmation, the language, quiet
// hours): a short-lived 'after' conversation, so that the next message can answer it.
import type { Lang } from '../shared/index.js';
import { newConversation } from '../store/index.js';
import type { Inbound } from './inbound.js';
import type { IntakeContext } from './intake-context.js';
import { intakeFlow } from './intake-flow.js';
import { promptFor } from './prompts.js';
import type { Reply } from './reply.js';

/** `markUpdate`: the update that asked it counts as handled with the question saved. */
export async function askAfter(ctx: IntakeContext, inbound: Inbound, lang: Lang, step: string, code: string, markUpdate = false): Promise<Reply> {
  const question = newConversation({
    channel: inbound.channel,
    lang,
    step,
    phase: 'after',
    returnAddress: Buffer.alloc(0), // never needed: the case holds its own
    now: ctx.now(),
  });
  await ctx.conversations.save(inbound.reporterKey, question, markUpdate && inbound.deliveryId ? { updateId: inbound.deliveryId } : {});
  return promptFor(intakeFlow, question, ctx.settings, code);
}
