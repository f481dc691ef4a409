// Deleting messages the way Telegram lets a bot: at most 100 per deleteMessages call,
// and nothing sent 48 hours ago or earlier. Shared by the staff chat's erasure of a case
// and the reporter's /wipe.
import { GrammyError, type Api } from 'grammy';

/** What a bot may still delete: a margin under Telegram's 48 hours (clock skew, a slow queue). */
export const DELETABLE_FOR_MS = 47 * 3600_000;
const BATCH = 100;

/**
 * Deletes `ids` in batches. A batch Telegram refuses (too old after all, no right) is
 * reported to `refused` and its ids returned; a network failure is thrown.
 */
export async function deleteInBatches(api: Api, chatId: number, ids: readonly number[], refused: (err: GrammyError) => void): Promise<number[]> {
  const kept: number[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    try {
      await api.deleteMessages(chatId, batch);
    } catch (err) {
      if (!(err instanceof GrammyError)) throw err;
      refused(err);
      kept.push(...batch);
    }
  }
  return kept;
}
