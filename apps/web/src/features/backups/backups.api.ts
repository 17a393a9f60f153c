import type { BackupOverview } from '@switchboard/shared';
import { api } from '../../api/client';

export const backupKeys = { overview: ['backups'] as const };

export const getBackups = (signal?: AbortSignal) => api.get<BackupOverview>('/api/backups', signal ? { signal } : {});
export const startBackup = () => api.post<{ accepted: true }>('/api/backups');
export const startDrill = () => api.post<{ accepted: true }>('/api/backups/drill', {});
/** A plain link: the browser streams the file to disk with the session cookie. */
export const downloadUrl = (id: string) => `/api/backups/${id}/download`;
