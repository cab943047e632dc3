import { PARTY_ID_PATTERN } from '@app/contracts';
import type { MonitoredNode } from './monitor-config';

/** Reads `party=url` entries (PUENTE_MONITOR_NODES), adding a problem for each bad one. */
export function parseMonitorNodes(entries: readonly string[], problems: string[]): MonitoredNode[] {
  const nodes: MonitoredNode[] = [];
  for (const entry of entries) {
    const at = `PUENTE_MONITOR_NODES entry "${entry}"`;
    const eq = entry.indexOf('=');
    const party = eq > 0 ? entry.slice(0, eq).trim() : '';
    const url =
      eq > 0
        ? entry
            .slice(eq + 1)
            .trim()
            .replace(/\/+$/, '')
        : '';
    if (!party || !url) {
      problems.push(`${at} is not party=url`);
      continue;
    }
    if (!PARTY_ID_PATTERN.test(party)) problems.push(`${at}: "${party}" is not a party id like us-cbp`);
    if (!isHttpUrl(url)) problems.push(`${at}: "${url}" is not an http(s) URL`);
    if (nodes.some((n) => n.party === party)) problems.push(`${at}: ${party} is listed twice`);
    nodes.push({ party, url });
  }
  return nodes;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash;
  } catch {
    return false;
  }
}
