import { EvidenceFailure } from './verification.report';
import { utf8 } from './zip.container';

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A member's bytes as UTF-8 text; malformed UTF-8 fails naming the member. */
export function textOf(path: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new EvidenceFailure(path, 'is not UTF-8 text');
  }
}

/** A member parsed as JSON; anything else fails naming the member. */
export function jsonOf(path: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(textOf(path, bytes));
  } catch (error) {
    if (error instanceof EvidenceFailure) throw error;
    throw new EvidenceFailure(path, 'is not JSON');
  }
}
