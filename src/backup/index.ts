export { BackupError, nightlyBackup, readBackup, restoreBackup, shreddedIds, type BackupSummary, writeBackup } from './backup.js';
