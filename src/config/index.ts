// The surface of src/config: what other folders may import. Everything else here is internal.
export {
  type Config,
  ConfigError,
  DEFAULT_CASE_LABELS,
  type IntakeConfig,
  loadConfig,
  type StaffChatGuard,
  type StageName,
  stageNames,
  deskNames,
  staffChatsOf,
  type StaffVisibility,
  type TelegramLimits,
  type Threading,
  variableReference,
  type WhatsAppConfig,
} from './config.js';
export { type StaffChat } from './staff-chats.js';
