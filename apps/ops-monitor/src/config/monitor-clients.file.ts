import { readApiClientsFile } from '@app/api-edge';
import type { MonitorClient } from './monitor-config';

/**
 * Reads an API clients file in the node's format. All valid clients are kept, so that a valid token
 * without the ops role is told 403, not 401; at least one must have the ops role, or nobody could use
 * the monitor.
 */
export function readMonitorClients(file: string, problems: string[]): MonitorClient[] {
  const before = problems.length;
  const clients = readApiClientsFile(file, problems);
  if (problems.length === before && clients.length > 0 && !clients.some((c) => c.roles.includes('ops')))
    problems.push(`${file}: no client has the ops role, so nobody could use the monitor`);
  return clients;
}
