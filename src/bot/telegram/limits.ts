// Keeps every outgoing Telegram message within the flood limits, as a grammY API
// transformer: receipts, answers to reporters, staff posts and alerts all pass here.
// Installed inside auto-retry, so a retried request takes a slot of its own.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';
import type { SendBudget } from '../../store/index.js';

/**
 * The methods Telegram counts against the limits: everything that puts a message into
 * a chat or changes one. Chat actions, reactions and deletions are not counted.
 */
export function isCountedMethod(method: string): boolean {
  return /^(send|copy|forward|edit)/i.test(method) && method !== 'sendChatAction';
}

const counted = new AsyncLocalStorage<{ used: boolean }>();

/**
 * Runs `send` with its slot already taken by the caller (who asked the budget first so
 * that it can decide what to send, or whether to wait elsewhere; for an album, a slot
 * for each item). Only the first counted request inside is treated as paid; a retry
 * takes a new slot.
 */
export function withSlotTaken<T>(send: () => Promise<T>): Promise<T> {
  return counted.run({ used: false }, send);
}

const finishing = new AsyncLocalStorage<true>();

/**
 * Runs `send`, a later part of a message whose first part is already in the chat: its
 * wait for a slot goes on through a shutdown. Given up, the job would come back after
 * the restart and post the first part again (the cursor moves per message, not per part).
 */
export function finishingMessage<T>(send: () => Promise<T>): Promise<T> {
  return finishing.run(true, send);
}

function slotAlreadyTaken(): boolean {
  const store = counted.getStore();
  if (!store || store.used) return false;
  store.used = true;
  return true;
}

export function telegramLimits(budget: SendBudget): Transformer {
  return async (prev, method, payload, signal) => {
    if (!isCountedMethod(method)) return prev(method, payload, signal);
    const raw = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    // '@channelname' ids cannot be told apart as group or private: only the global window applies.
    const chatId = typeof raw === 'number' || (typeof raw === 'string' && /^-?\d+$/.test(raw)) ? Number(raw) : undefined;
    // An album is as many messages as it has items.
    const media = (payload as { media?: unknown } | undefined)?.media;
    const messages = method === 'sendMediaGroup' && Array.isArray(media) ? media.length : 1;
    if (!slotAlreadyTaken()) await budget.take(chatId, { finishing: finishing.getStore() === true, messages });
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) {
      // Telegram's own word beats our model of it: everyone holds off that chat.
      await budget.hold(chatId, result.parameters?.retry_after ?? 1);
    }
    return result;
  };
}
