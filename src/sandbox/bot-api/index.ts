// Local Telegram Bot API server for tests, the sandbox and benchmarks.
//
//   const api = await startBotApiServer();
//   const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
//   const alice = api.addUser({ firstName: 'Alice', languageCode: 'ru' });
//   void bot.start();
//   api.sendPrivate(alice, 'hello');
//   const reply = await api.waitFor(() => api.messagesIn(alice.id)[0]);
//   await bot.stop();   // stop bots before close(), or grammY keeps retrying
//   await api.close();
export { BotApiServer, startBotApiServer } from './server.js';
export { samples } from './samples.js';
export type { SendOptions } from './people.js';
export type { WaitOptions } from './wait.js';
export type {
  ApiResponse,
  BotApiServerOptions,
  BotMessageEvent,
  CallRecord,
  ChatRef,
  CreatedTopic,
  FailSpec,
  HoldHandle,
  MemberStatus,
  MessageContent,
  RateLimits,
  ServerEvents,
  SimGroup,
  Stats,
  TopicInfo,
  UserRef,
} from './types.js';
export type { BotRights } from './world.js';
