import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { backupKeys, getBackups, startBackup, startDrill } from './backups.api';

/** Backups and drills run on a worker: the page refreshes while it is open to show them finish. */
const REFRESH_MS = 5_000;

export function useBackups() {
  return useQuery({ queryKey: backupKeys.overview, queryFn: ({ signal }) => getBackups(signal), refetchInterval: REFRESH_MS });
}

export function useStartBackup() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: startBackup, onSuccess: () => qc.invalidateQueries({ queryKey: backupKeys.overview }) });
}

export function useStartDrill() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: startDrill, onSuccess: () => qc.invalidateQueries({ queryKey: backupKeys.overview }) });
}
