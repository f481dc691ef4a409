// Counts what the Bot API refused, as a grammY API transformer installed innermost, so
// each attempt is seen with Telegram's own answer (auto-retry's 429 waits included).
// Only the method name and the error code leave here: never the payload (it holds text
// and chat ids) nor the description.
import type { Transformer } from 'grammy';

export function telegramFailures(onFailure: (method: string, code: number | 'network') => void): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok) onFailure(method, result.error_code);
      return result;
    } catch (err) {
      if (!signal?.aborted) onFailure(method, 'network'); // an abort is our own shutdown, not a failure
      throw err;
    }
  };
}
