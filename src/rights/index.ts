export { checkRightsBooks, PAGE_MAX_CHARS, readRightsBook, RightsFileError, type RightsBook, type RightsPage } from './book.js';
export { defaultRightsText, loadRights, type Rights, type ShownPage } from './library.js';
