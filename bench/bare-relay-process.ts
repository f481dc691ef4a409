// The baseline: the least a relay can do. A grammY bot that forwards each private
// message straight to the staff chat and each reply there straight back, with no
// queue, no encryption, no storage beyond an in-memory map. Not for production: it
// loses everything on a crash and shows reporters' ids to anyone reading its memory.
import { Bot } from 'grammy';
import { answerProbes } from './probe.js';

const token = process.env.TELEGRAM_BOT_TOKEN!;
const staffChat = Number(process.env.STAFF_CHAT_ID);
const bot = new Bot(token, { client: { apiRoot: process.env.TELEGRAM_API_ROOT! } });
const reporterOf = new Map<number, number>();

bot.on('message:text', async (ctx) => {
  if (ctx.chat.type === 'private') {
    const sent = await ctx.api.sendMessage(staffChat, ctx.msg.text);
    reporterOf.set(sent.message_id, ctx.chat.id);
  } else if (ctx.chat.id === staffChat && ctx.msg.reply_to_message) {
    const to = reporterOf.get(ctx.msg.reply_to_message.message_id);
    if (to !== undefined) await ctx.api.sendMessage(to, ctx.msg.text);
  }
});
bot.catch(() => undefined);
await bot.init();
const polling = bot.start({ drop_pending_updates: false });
answerProbes(async () => {
  await bot.stop();
  await polling;
});
