// The local Bot API server driven by a real grammY Bot over real HTTP: if these pass,
// grammY cannot tell it from Telegram for everything the hotline uses.
import { Bot, GrammyError, HttpError, InputFile, type Context } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer, type BotApiServerOptions } from '../../src/sandbox/bot-api/index.js';

let api: BotApiServer;
const bots: Bot[] = [];
const running: Promise<void>[] = [];

async function server(options: BotApiServerOptions = {}): Promise<BotApiServer> {
  if (api) await api.close();
  api = await startBotApiServer(options);
  return api;
}

function newBot(token = api.token): Bot {
  const bot = new Bot(token, { client: { apiRoot: api.apiRoot } });
  bots.push(bot);
  return bot;
}

/** Starts long polling and resolves once grammY is polling. */
async function run(bot: Bot): Promise<void> {
  bot.catch((err) => {
    throw err.error;
  });
  await new Promise<void>((ready, fail) => {
    running.push(bot.start({ onStart: () => ready() }).catch(fail));
  });
}

beforeEach(async () => {
  await server();
});

afterEach(async () => {
  for (const bot of bots.splice(0)) if (bot.isRunning()) await bot.stop();
  await Promise.allSettled(running.splice(0));
  await api.close();
});

async function rejection(p: Promise<unknown>): Promise<GrammyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}

describe('protocol', () => {
  it('answers getMe for the configured bot', async () => {
    await server({ token: '424242:AAtest-token_1', botUsername: 'hotline_bot' });
    const me = await newBot().api.getMe();
    expect(me).toMatchObject({ id: 424242, is_bot: true, username: 'hotline_bot', can_read_all_group_messages: false });
    expect(api.botId).toBe(424242);
    expect(api.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('rejects a wrong token with 401 and an unknown method with 404, Telegram-shaped', async () => {
    const err = await rejection(newBot('999:wrong').api.getMe());
    expect([err.error_code, err.description]).toEqual([401, 'Unauthorized']);
    const res = await fetch(`${api.apiRoot}/bot${api.token}/sendTelepathy`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    // Telegram method names are case-insensitive
    const me = (await (await fetch(`${api.apiRoot}/bot${api.token}/GETME`)).json()) as { result: { id: number } };
    expect(me.result.id).toBe(api.botId);
  });

  it('lets a bot write to a person only once they wrote to it, like Telegram', async () => {
    const stranger = api.addUser({ firstName: 'Stranger' });
    const bot = newBot();
    const refused = await rejection(bot.api.sendMessage(stranger.id, 'hello'));
    expect([refused.error_code, refused.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
    api.sendPrivate(stranger, '/start');
    expect((await bot.api.sendMessage(stranger.id, 'hello')).text).toBe('hello');
  });

  it('reports chat not found, empty and too long texts like Telegram', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    expect((await rejection(bot.api.sendMessage(123, 'hi'))).description).toBe('Bad Request: chat not found');
    expect((await rejection(bot.api.sendMessage(alice.id, '   '))).description).toBe('Bad Request: message text is empty');
    const long = await rejection(bot.api.sendMessage(alice.id, 'x'.repeat(4097)));
    expect([long.error_code, long.description]).toEqual([400, 'Bad Request: message is too long']);
    expect((await bot.api.sendMessage(alice.id, 'x'.repeat(4096))).text).toHaveLength(4096);
    // the limit counts characters, not UTF-16 units, and applies after markup is parsed
    await bot.api.sendMessage(alice.id, '😀'.repeat(4096));
    await bot.api.sendMessage(alice.id, `<b>${'y'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    expect(api.messagesIn(alice.id).map((m) => m.text?.length)).toEqual([4096, 8192, 4096]);
  });

  it('parses markup into entities and rejects unescaped MarkdownV2', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const html = await bot.api.sendMessage(alice.id, 'Case <b>K7Q-4MX</b> &amp; <a href="https://x.org">link</a>', { parse_mode: 'HTML' });
    expect(html.text).toBe('Case K7Q-4MX & link');
    expect(html.entities).toEqual([
      { offset: 5, length: 7, type: 'bold' },
      { offset: 15, length: 4, type: 'text_link', url: 'https://x.org' },
    ]);
    const err = await rejection(bot.api.sendMessage(alice.id, 'Thanks. *Code*', { parse_mode: 'MarkdownV2' }));
    expect(err.description).toBe("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    const ok = await bot.api.sendMessage(alice.id, 'Thanks\\. *Code*', { parse_mode: 'MarkdownV2' });
    expect([ok.text, ok.entities]).toEqual(['Thanks. Code', [{ offset: 8, length: 4, type: 'bold' }]]);
  });

  it('accepts multipart uploads and records the file parts', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const sent = await newBot().api.sendDocument(alice.id, new InputFile(Buffer.from('hello'), 'report.txt'), {
      caption: 'the <i>file</i>',
      parse_mode: 'HTML',
    });
    expect(sent.document).toMatchObject({ file_name: 'report.txt', file_size: 5 });
    expect([sent.caption, sent.caption_entities]).toEqual(['the file', [{ offset: 4, length: 4, type: 'italic' }]]);
    expect(api.callsTo('sendDocument')[0]!.params).toMatchObject({ chat_id: String(alice.id), document: { file: { filename: 'report.txt', size: 5 } } });
  });
});

describe('file downloads', () => {
  it('serves a file a person sent through getFile and {apiRoot}/file/bot<token>/<path>', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const sent = api.sendPrivateMessage(alice, { document: { file_name: 'scan.pdf', file_size: 1234 } });
    const bot = newBot();
    const file = await bot.api.getFile(sent.document!.file_id);
    expect(file).toMatchObject({ file_id: sent.document!.file_id, file_size: 1234, file_path: expect.stringMatching(/^documents\//) });
    const res = await fetch(`${api.apiRoot}/file/bot${api.token}/${file.file_path}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(1234);
    expect(bytes.equals(api.fileContent(sent.document!.file_id)!)).toBe(true);
    expect((await fetch(`${api.apiRoot}/file/bot999:wrong/${file.file_path}`)).status).toBe(404);
    expect((await fetch(`${api.apiRoot}/file/bot${api.token}/documents/nope.dat`)).status).toBe(404);
  });

  it('refuses getFile over 20 MB and for unknown ids, like Telegram', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const big = api.sendPrivateMessage(alice, { video: { file_size: 21 * 1024 * 1024 } });
    const bot = newBot();
    expect((await rejection(bot.api.getFile(big.video!.file_id))).description).toMatch(/file is too big/);
    expect((await rejection(bot.api.getFile('nope'))).error_code).toBe(400);
  });

  it('keeps the bytes a bot uploaded, readable by file_id', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const upload = Buffer.from('evidence bytes');
    const sent = await bot.api.sendPhoto(alice.id, new InputFile(upload, 'a.jpg'));
    const largest = sent.photo.at(-1)!;
    expect(api.fileContent(largest.file_id)?.equals(upload)).toBe(true);
    const voice = await bot.api.sendVoice(alice.id, new InputFile(Buffer.from('ogg'), 'v.ogg'));
    expect(api.fileContent(voice.voice.file_id)?.toString()).toBe('ogg');
  });
});

describe('long polling with a running bot', () => {
  it('delivers a private message and the bot echoes it', async () => {
    const alice = api.addUser({ firstName: 'Alice', username: 'alice_k', languageCode: 'ru', wroteToBot: true });
    const bot = newBot();
    const seen: Context[] = [];
    bot.command('start', (ctx) => ctx.reply('welcome'));
    bot.on('message:text', (ctx) => {
      seen.push(ctx);
      return ctx.reply(`echo: ${ctx.msg.text}`);
    });
    await run(bot);
    api.sendPrivate(alice, '/start');
    const hello = api.sendPrivate(alice, 'hello');
    const echo = await api.waitFor(() => api.messagesIn(alice.id).find((m) => m.text === 'echo: hello'));
    expect(api.messagesIn(alice.id).map((m) => m.text)).toEqual(['welcome', 'echo: hello']);
    expect(echo).toMatchObject({ from: { id: api.botId, is_bot: true }, chat: { id: alice.id, type: 'private' } });
    expect(echo.message_id).toBeGreaterThan(hello.message_id);
    expect(seen).toHaveLength(1); // /start went to the command handler, via its bot_command entity
    expect(seen[0]!.chat!.type).toBe('private');
    expect(seen[0]!.from).toEqual({ id: alice.id, is_bot: false, first_name: 'Alice', username: 'alice_k', language_code: 'ru' });
  });

  it('resolves replies in both directions', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const replies: Message[] = [];
    bot.on('message:text', async (ctx) => {
      if (ctx.msg.reply_to_message) replies.push(ctx.msg);
      else await ctx.reply('got it', { reply_parameters: { message_id: ctx.msg.message_id } });
    });
    await run(bot);
    const first = api.sendPrivate(alice, 'first');
    const answer = await api.waitFor(() => api.messagesIn(alice.id)[0]);
    expect(answer.reply_to_message).toMatchObject({ message_id: first.message_id, text: 'first', from: { id: alice.id } });
    api.sendPrivate(alice, 'thanks', { replyTo: answer.message_id });
    const reply = await api.waitFor(() => replies[0]);
    expect(reply.reply_to_message).toMatchObject({ message_id: answer.message_id, text: 'got it', from: { id: api.botId } });
    expect(reply.reply_to_message!.reply_to_message).toBeUndefined(); // one level deep, like Telegram
    const missing = await rejection(bot.api.sendMessage(alice.id, 'x', { reply_parameters: { message_id: 999 } }));
    expect(missing.description).toBe('Bad Request: message to be replied not found');
  });

  it('delivers edited_message with edit_date', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const edits: Message[] = [];
    bot.on('edited_message:text', (ctx) => void edits.push(ctx.editedMessage));
    await run(bot);
    const original = api.sendPrivate(alice, 'helo');
    api.editPrivate(alice, original.message_id, 'hello');
    const edited = await api.waitFor(() => edits[0]);
    expect(edited).toMatchObject({ message_id: original.message_id, text: 'hello', chat: { id: alice.id } });
    expect(edited.edit_date).toBeGreaterThanOrEqual(original.date);
  });

  it('redelivers an update with the same update_id', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const ids: number[] = [];
    bot.on('message', (ctx) => void ids.push(ctx.update.update_id));
    await run(bot);
    api.sendPrivate(alice, 'once');
    await api.waitFor(() => ids.length === 1);
    api.redeliver(ids[0]!);
    api.sendPrivate(alice, 'twice');
    await api.waitFor(() => ids.length === 3);
    expect(ids).toEqual([ids[0], ids[0], ids[0]! + 1]);
  });

  it('terminates a pending getUpdates with 409 when another one arrives', async () => {
    const bot = newBot();
    const first = bot.api.getUpdates({ timeout: 10 });
    await api.waitFor(() => api.callsTo('getUpdates').length === 1);
    const second = bot.api.getUpdates({ timeout: 0 });
    const err = await rejection(first);
    expect(err.error_code).toBe(409);
    expect(err.description).toBe('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    expect(await second).toEqual([]);
  });

  it('long-polls: answers on arrival, confirms by offset, honours limit, returns [] on timeout', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const t0 = Date.now();
    const poll = bot.api.getUpdates({ timeout: 5 });
    await api.waitFor(() => api.callsTo('getUpdates').length === 1);
    api.sendPrivate(alice, 'a');
    const [u1] = await poll;
    expect(Date.now() - t0).toBeLessThan(2000);
    api.sendPrivate(alice, 'b');
    api.sendPrivate(alice, 'c');
    expect((await bot.api.getUpdates({ limit: 1 })).map((u: Update) => u.message?.text)).toEqual(['a']);
    expect((await bot.api.getUpdates({ offset: u1!.update_id + 1 })).map((u: Update) => u.message?.text)).toEqual(['b', 'c']);
    expect(api.pendingUpdates).toBe(2);
    await bot.api.getUpdates({ offset: u1!.update_id + 3, timeout: 0 });
    expect(api.pendingUpdates).toBe(0);
    const t1 = Date.now();
    expect(await bot.api.getUpdates({ offset: u1!.update_id + 3, timeout: 1 })).toEqual([]);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(950);
  });
});

describe('groups and forum topics', () => {
  it('creates a topic, sends into it, and receives topic messages with message_thread_id', async () => {
    const dana = api.addUser({ firstName: 'Dana', wroteToBot: true });
    const staff = api.addGroup({ title: 'Trustline staff', forum: true, members: [dana.id] });
    const plain = api.addGroup({ title: 'Plain group' });
    expect(staff.id).toBeLessThan(-1_000_000_000_000);
    const bot = newBot();
    const topic = await bot.api.createForumTopic(staff.id, 'Case K7Q-4MX');
    expect(topic).toEqual({ message_thread_id: expect.any(Number), name: 'Case K7Q-4MX', icon_color: 0x6fb9f0 });
    expect(api.topics(staff.id)).toEqual([{ ...topic, is_closed: false }]);
    const notForum = await rejection(bot.api.createForumTopic(plain.id, 'x'));
    expect(notForum.description).toBe('Bad Request: the chat is not a forum');

    const posted = await bot.api.sendMessage(staff.id, 'New report', { message_thread_id: topic.message_thread_id });
    expect(posted).toMatchObject({
      message_thread_id: topic.message_thread_id,
      is_topic_message: true,
      chat: { id: staff.id, type: 'supergroup', is_forum: true },
    });
    expect(posted.reply_to_message?.forum_topic_created?.name).toBe('Case K7Q-4MX'); // Telegram's quirk
    expect(api.messagesIn(staff.id, { threadId: topic.message_thread_id }).map((m) => m.text)).toEqual(['New report']);
    expect((await rejection(bot.api.sendMessage(staff.id, 'x', { message_thread_id: 999 }))).description).toBe('Bad Request: message thread not found');

    const got: Context[] = [];
    bot.on('message:text', async (ctx) => {
      got.push(ctx);
      await ctx.reply('noted'); // grammY copies message_thread_id for topic messages
    });
    await run(bot);
    api.sendGroup(staff, dana, 'I will call her', { threadId: topic.message_thread_id });
    await api.waitFor(() => api.messagesIn(staff.id, { threadId: topic.message_thread_id }).length === 2);
    expect(got[0]!.chat!).toMatchObject({ id: staff.id, type: 'supergroup', title: 'Trustline staff', is_forum: true });
    expect(got[0]!.msg).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true, from: { id: dana.id } });

    await bot.api.closeForumTopic(staff.id, topic.message_thread_id);
    expect(api.topics(staff.id)[0]!.is_closed).toBe(true);
    expect((await rejection(bot.api.closeForumTopic(staff.id, topic.message_thread_id))).description).toBe('Bad Request: TOPIC_NOT_MODIFIED');
  });

  it('answers getChat/getChatMember and stops delivering a group after leaveChat', async () => {
    const dana = api.addUser({ firstName: 'Dana', wroteToBot: true });
    const outsider = api.addUser({ firstName: 'Olga', wroteToBot: true });
    const staff = api.addGroup({ title: 'Staff', forum: true, members: [dana.id] });
    const bot = newBot();
    expect(await bot.api.getChat(staff.id)).toMatchObject({ id: staff.id, type: 'supergroup', title: 'Staff', is_forum: true });
    expect(await bot.api.getChat(dana.id)).toMatchObject({ id: dana.id, type: 'private', first_name: 'Dana' });
    expect((await bot.api.getChatMember(staff.id, dana.id)).status).toBe('member');
    expect((await bot.api.getChatMember(staff.id, outsider.id)).status).toBe('left');
    expect((await bot.api.getChatMember(staff.id, api.botId)).status).toBe('administrator');

    const texts: string[] = [];
    bot.on('message:text', (ctx) => void texts.push(ctx.msg.text));
    await run(bot);
    await bot.api.leaveChat(staff.id);
    expect(api.leftChats).toEqual([staff.id]);
    api.sendGroup(staff, dana, 'anyone here?');
    api.sendPrivate(dana, 'direct');
    await api.waitFor(() => texts.length === 1);
    expect(texts).toEqual(['direct']);
    expect((await rejection(bot.api.sendMessage(staff.id, 'x'))).error_code).toBe(403);
  });

  it('emits my_chat_member when someone adds the bot to a group', async () => {
    const dana = api.addUser({ firstName: 'Dana', wroteToBot: true });
    const group = api.addGroup({ title: 'New staff', members: [dana.id], botStatus: 'left' });
    const bot = newBot();
    const changes: string[] = [];
    bot.on(
      'my_chat_member',
      (ctx) => void changes.push(`${ctx.myChatMember.old_chat_member.status}->${ctx.myChatMember.new_chat_member.status} by ${ctx.from.id}`),
    );
    await run(bot);
    api.addBotToGroup(group, dana);
    await api.waitFor(() => changes.length === 1);
    expect(changes).toEqual([`left->administrator by ${dana.id}`]);
  });

  it('copies a reporter photo into a topic without revealing the sender; forwarding does reveal', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const staff = api.addGroup({ title: 'Staff', forum: true });
    const bot = newBot();
    const topic = await bot.api.createForumTopic(staff.id, 'Case');
    const photo = api.sendPrivateMessage(alice, { photo: [], caption: 'evidence' });
    const copy = await bot.api.copyMessage(staff.id, alice.id, photo.message_id, { message_thread_id: topic.message_thread_id });
    const copied = api.messagesIn(staff.id, { threadId: topic.message_thread_id })[0]!;
    expect(copied.message_id).toBe(copy.message_id);
    expect(copied).toMatchObject({ caption: 'evidence', photo: photo.photo, from: { id: api.botId } });
    expect(copied.forward_origin).toBeUndefined();
    const fwd = await bot.api.forwardMessage(staff.id, alice.id, photo.message_id);
    expect(fwd.forward_origin).toMatchObject({ type: 'user', sender_user: { id: alice.id } });
  });

  it('hides plain group chatter from a non-admin bot in privacy mode', async () => {
    const dana = api.addUser({ firstName: 'Dana', wroteToBot: true });
    const group = api.addGroup({ title: 'Chat', members: [dana.id], botStatus: 'member' });
    const bot = newBot();
    const texts: string[] = [];
    bot.on('message:text', (ctx) => void texts.push(ctx.msg.text));
    await run(bot);
    api.sendGroup(group, dana, 'just chatting');
    api.sendGroup(group, dana, '/status@trustline_sandbox_bot');
    await api.waitFor(() => texts.length === 1);
    expect(texts).toEqual(['/status@trustline_sandbox_bot']);
  });

  it('delivers button presses and accepts one answer per query', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    bot.callbackQuery('claim', (ctx) => ctx.answerCallbackQuery('claimed'));
    await run(bot);
    const msg = await bot.api.sendMessage(alice.id, 'Claim?', { reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'claim' }]] } });
    const update = api.pressButton(alice, msg, 'claim');
    await api.waitFor(() => api.callsTo('answerCallbackQuery')[0]?.response?.ok);
    const again = await rejection(bot.api.answerCallbackQuery(update.callback_query!.id));
    expect(again.description).toMatch(/query is too old/);
    expect(() => api.pressButton(alice, msg, 'nope')).toThrow(/no button with callback_data "nope"/);
  });
});

describe('anonymous administrators and channel senders', () => {
  it('posts as Telegram does: GroupAnonymousBot with the group as sender_chat and the custom title as signature', async () => {
    const dana = api.addUser({ firstName: 'Dana', wroteToBot: true });
    const arman = api.addUser({ firstName: 'Arman', wroteToBot: true });
    const group = api.addGroup({ title: 'Staff', members: [arman], admins: [dana] });
    const bot = newBot();
    const seen: Message[] = [];
    bot.on(['message', 'edited_message'], (ctx) => void seen.push(ctx.msg));
    await run(bot);
    expect(() => api.setAnonymous(group, arman, true)).toThrow(/only administrators/);
    api.setAnonymous(group, dana, true, 'Head of service');
    const admins = await bot.api.getChatAdministrators(group.id);
    expect(admins.find((m) => m.user.id === dana.id)).toMatchObject({ status: 'administrator', is_anonymous: true, custom_title: 'Head of service' });
    expect(admins.find((m) => m.user.id === api.botId)).toMatchObject({ is_anonymous: false });
    const sent = api.sendGroup(group, dana, 'hello from nobody');
    const got = await api.waitFor(() => seen.find((m) => m.message_id === sent.message_id));
    expect(got.from).toEqual({ id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' });
    expect(got.sender_chat).toMatchObject({ id: group.id, type: 'supergroup' });
    expect(got.author_signature).toBe('Head of service');
    // the real author can still edit it, and the edit stays anonymous
    api.editGroup(group, dana, sent.message_id, 'edited by nobody');
    const edit = await api.waitFor(() => seen.find((m) => m.text === 'edited by nobody'));
    expect(edit.from?.id).toBe(1087968824);
    // switched off, Dana writes as herself
    api.setAnonymous(group, dana, false);
    const named = api.sendGroup(group, dana, 'hello from Dana');
    expect((await api.waitFor(() => seen.find((m) => m.message_id === named.message_id))).from?.id).toBe(dana.id);
    // on behalf of a channel: Channel_Bot, with the channel as sender_chat
    const asChannel = api.sendGroupAsChannel(group, arman, { id: -1001234567890, title: 'News' }, 'channel post');
    const channelMessage = await api.waitFor(() => seen.find((m) => m.message_id === asChannel.message_id));
    expect(channelMessage.from).toMatchObject({ id: 136817688, is_bot: true, username: 'Channel_Bot' });
    expect(channelMessage.sender_chat).toEqual({ id: -1001234567890, title: 'News', type: 'channel' });
  });
});

describe('removing people from a group', () => {
  it('bans and unbans as Telegram does, refuses the owner, other admins and a bot without the right', async () => {
    const owner = api.addUser({ firstName: 'Owner', wroteToBot: true });
    const boss = api.addUser({ firstName: 'Boss', wroteToBot: true });
    const guest = api.addUser({ firstName: 'Guest', wroteToBot: true });
    const group = api.addGroup({ title: 'Staff', owner, admins: [boss], members: [guest] });
    const bot = newBot();
    const updates: Update[] = [];
    bot.on('chat_member', (ctx) => void updates.push(ctx.update));
    // chat_member updates come only to a bot that asked for them
    api.joinGroup(group, api.addUser({ firstName: 'Early', wroteToBot: true }));
    bot.catch((err) => {
      throw err.error;
    });
    await new Promise<void>((ready, fail) => {
      running.push(bot.start({ allowed_updates: ['message', 'chat_member'], onStart: () => ready() }).catch(fail));
    });
    await api.waitFor(() => api.callsTo('getUpdates').length > 0);
    expect(updates).toEqual([]);

    expect((await rejection(bot.api.banChatMember(group.id, owner.id))).description).toBe("Bad Request: can't remove chat owner");
    expect((await rejection(bot.api.banChatMember(group.id, boss.id))).description).toBe('Bad Request: user is an administrator of the chat');
    await bot.api.banChatMember(group.id, guest.id);
    expect(api.memberStatus(group, guest)).toBe('kicked');
    await bot.api.unbanChatMember(group.id, guest.id, { only_if_banned: true });
    expect(api.memberStatus(group, guest)).toBe('left');
    const joiner = api.addUser({ firstName: 'Joiner', wroteToBot: true });
    api.joinGroup(group, joiner, { by: boss });
    const joined = await api.waitFor(() =>
      updates.find((u) => u.chat_member?.new_chat_member.user.id === joiner.id && u.chat_member.new_chat_member.status === 'member'),
    );
    expect(joined.chat_member).toMatchObject({ from: { id: boss.id }, old_chat_member: { status: 'left' } });
    // an unban without only_if_banned removes a member
    await bot.api.unbanChatMember(group.id, joiner.id);
    expect(api.memberStatus(group, joiner)).toBe('left');

    api.setBotRights(group, { can_restrict_members: false });
    expect((await rejection(bot.api.banChatMember(group.id, guest.id))).description).toBe('Bad Request: not enough rights to restrict/ban chat member');
    expect(await bot.api.getChatMember(group.id, api.botId)).toMatchObject({ status: 'administrator', can_restrict_members: false, can_delete_messages: true });
  });
});

describe('fault injection and flood control', () => {
  it('fails the next calls with 429 and retry_after visible to grammY', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    api.failNext('sendMessage', { error_code: 429, retry_after: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await rejection(bot.api.sendMessage(alice.id, 'hi'));
      expect([err.error_code, err.description, err.parameters.retry_after]).toEqual([429, 'Too Many Requests: retry after 7', 7]);
    }
    expect((await bot.api.sendMessage(alice.id, 'hi')).text).toBe('hi');
    expect(api.messagesIn(alice.id)).toHaveLength(1); // failed calls were not applied
    expect(api.stats.tooManyRequests).toBe(2);
  });

  it('holds a request unapplied until release, or drops its connection', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    const bot = newBot();
    const hold = api.holdNext('sendMessage');
    const pending = bot.api.sendMessage(alice.id, 'held');
    const call = await hold.held;
    expect(call.params.text).toBe('held');
    expect(api.messagesIn(alice.id)).toEqual([]);
    hold.release();
    expect((await pending).text).toBe('held');
    expect(api.messagesIn(alice.id).map((m) => m.text)).toEqual(['held']);

    const drop = api.holdNext('sendMessage');
    const doomed = bot.api.sendMessage(alice.id, 'lost');
    await drop.held;
    drop.drop();
    await expect(doomed).rejects.toBeInstanceOf(HttpError);
    expect(api.messagesIn(alice.id).map((m) => m.text)).toEqual(['held']);
  });

  it('rate-limits per chat with integer retry_after when configured', async () => {
    await server({ rateLimits: { perChatPerSecond: 1, globalPerSecond: 3 } });
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((firstName) => api.addUser({ firstName, wroteToBot: true }));
    const bot = newBot();
    await bot.api.sendMessage(a!.id, '1');
    const err = await rejection(bot.api.sendMessage(a!.id, '2'));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(1);
    await bot.api.sendMessage(b!.id, '1');
    await bot.api.sendMessage(c!.id, '1');
    expect((await rejection(bot.api.sendMessage(d!.id, '1'))).error_code).toBe(429); // 4th in a second overall
    expect(api.stats.tooManyRequests).toBe(2);
    expect(api.messagesIn(a!.id)).toHaveLength(1);
  });

  it("sends albums by Telegram's rules, each item a message for the group's minute", async () => {
    await server({ rateLimits: { perChatPerSecond: 1, perGroupPerMinute: 5 } });
    const group = api.addGroup({ title: 'Staff' });
    const bot = newBot();
    const photo = (n: number) => ({ type: 'photo' as const, media: new InputFile(Buffer.from(`p${n}`), `p${n}.jpg`), caption: `item ${n}`, has_spoiler: true });
    const doc = { type: 'document' as const, media: new InputFile(Buffer.from('d'), 'd.pdf') };
    const refused = async (media: Parameters<typeof bot.api.sendMediaGroup>[1]) => (await rejection(bot.api.sendMediaGroup(group.id, media))).description;
    expect(await refused([])).toBe('Bad Request: there are no messages to send');
    expect(await refused(Array.from({ length: 11 }, (_, i) => photo(i)))).toBe('Bad Request: too many messages to send as an album');
    expect(await refused([photo(1), doc] as never)).toBe("Bad Request: document can't be mixed with other media types");
    expect(api.messagesIn(group.id)).toEqual([]); // a refused album sends nothing, and counts nothing

    const album = (await bot.api.sendMediaGroup(group.id, [photo(1), photo(2), photo(3)])) as Message[];
    expect(album.map((m) => m.caption)).toEqual(['item 1', 'item 2', 'item 3']);
    expect(new Set(album.map((m) => m.media_group_id)).size).toBe(1);
    expect(album[0]!.media_group_id).toBeDefined();
    expect(album.every((m) => m.has_media_spoiler)).toBe(true);

    // 3 of the minute's 5 are used: of the next 3, Telegram sends 2 and names the third.
    await new Promise((r) => setTimeout(r, 1100)); // the chat's one-a-second window
    const partial = await rejection(bot.api.sendMediaGroup(group.id, [photo(4), photo(5), photo(6)]));
    expect(partial.description).toMatch(/^Bad Request: failed to send message #3 with the error message "Too Many Requests: retry after \d+"$/);
    expect(api.messagesIn(group.id).map((m) => m.caption)).toEqual(['item 1', 'item 2', 'item 3', 'item 4', 'item 5']);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await rejection(bot.api.sendMediaGroup(group.id, [photo(7), photo(8)]))).error_code).toBe(429);
    // One item is a plain message, outside any album.
    await server();
    const alone = api.addGroup({ title: 'Staff' });
    const [single] = (await newBot().api.sendMediaGroup(alone.id, [photo(9)])) as Message[];
    expect(single!.media_group_id).toBeUndefined();
  });

  it('times out waitFor with the recent calls in the message', async () => {
    const alice = api.addUser({ firstName: 'Alice', wroteToBot: true });
    await newBot().api.sendMessage(alice.id, 'only this');
    await expect(api.waitFor(() => api.messagesIn(alice.id).length === 2, { timeoutMs: 50, label: 'a second message' })).rejects.toThrow(
      /timed out after 50ms waiting for a second message[\s\S]*sendMessage \{"chat_id":\d+,"text":"only this"\} -> ok/,
    );
  });
});
