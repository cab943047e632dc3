/** `name{labels} value [timestamp]`; label values are quoted and may hold spaces, braces and escapes. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)/;

/**
 * Sums the samples of each metric in a Prometheus text exposition, across label sets. A node's
 * gauges carry only its own `party` label, so the sum is the node's value.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match?.[1] || match[3] === undefined) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    totals.set(match[1], (totals.get(match[1]) ?? 0) + value);
  }
  return totals;
}
