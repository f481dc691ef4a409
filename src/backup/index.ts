export { BackupError, readBackup, restoreBackup, shreddedIds, type BackupSummary, writeBackup } from './backup.js';
