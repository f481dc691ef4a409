// getFile: the first half of a download; the bytes are then served over plain HTTP at
// {apiRoot}/file/bot<token>/<file_path>, as Telegram does.
import type { Handler } from './methods-messages.js';
import { badRequest, str } from './params.js';

const getFile: Handler = (p, world) => {
  const fileId = str(p, 'file_id');
  if (!fileId) throw badRequest('file_id is empty');
  return world.files.fileInfo(fileId);
};

export const FILE_METHODS: Record<string, Handler> = { getFile };
