// The surface of src/evidence: what other folders may import. Everything else here is internal.
export { type CleanedFile, type EvidenceCleaner, mat2Cleaner, type Mat2Options, type SentFile } from './cleaner.js';
export { extensionOf, mimeOf } from './formats.js';
export {
  hasVoice,
  MASK_RATIO,
  maskFilter,
  type Masked,
  voiceMask,
  type VoiceMask,
  type VoiceMaskLevel,
  voiceMaskLevels,
  type VoiceMaskOptions,
} from './voice.js';
