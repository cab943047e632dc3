import type { ApiClientEntry } from '@app/api-edge';
import { MESSAGE_TYPES, type MessageFamily, type MessageType } from '@app/contracts';

/**
 * What an API client may act under: agreements and message families. A missing list means "any", so a
 * client without a scope (the demo's, every client written before scopes existed) keeps its reach.
 */
/** A client as the node's clients file gives it: the entry and, optionally, what it may act under. */
export type ApiClientFileEntry = ApiClientEntry & { readonly scope?: ClientScope };

export interface ClientScope {
  readonly agreements?: readonly string[];
  readonly families?: readonly MessageFamily[];
}

export const SCOPE_FAMILIES: readonly MessageFamily[] = [
  'customs-offense',
  'passenger-risk',
  'cooperation',
  'aeo',
];

export type ScopeCheck =
  | { readonly inScope: true }
  | {
      readonly inScope: false;
      readonly reason: 'OUT_OF_SCOPE';
      readonly rule: string;
      readonly detail: string;
    };

/** Whether a message of `type` under `agreementId` is within the client's scope (no scope: yes). */
export function checkScope(
  scope: ClientScope | undefined,
  agreementId: string,
  type: MessageType,
): ScopeCheck {
  if (scope?.agreements && !scope.agreements.includes(agreementId))
    return {
      inScope: false,
      reason: 'OUT_OF_SCOPE',
      rule: 'client.scope.agreements',
      detail: `this client may not act under ${agreementId}`,
    };
  const family = MESSAGE_TYPES[type].family;
  if (scope?.families && !scope.families.includes(family))
    return {
      inScope: false,
      reason: 'OUT_OF_SCOPE',
      rule: 'client.scope.families',
      detail: `this client may not act on ${family} messages`,
    };
  return { inScope: true };
}

/**
 * Reads the optional `scope` of one entry of the API clients file, collecting problems with their path;
 * agreement ids are checked against the catalog later, at start-up (the file reader does not know it).
 */
export function readClientScope(raw: unknown, at: string, problems: string[]): ClientScope | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${at}.scope must be an object with agreements and/or families`);
    return undefined;
  }
  const { agreements, families, ...extra } = raw as Record<string, unknown>;
  for (const key of Object.keys(extra)) problems.push(`${at}.scope.${key} is not a scope setting`);
  const list = (value: unknown, key: string, ok: (v: unknown) => boolean): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0 || !value.every(ok)) {
      problems.push(`${at}.scope.${key} must be a non-empty list`);
      return undefined;
    }
    return value as string[];
  };
  return {
    agreements: list(
      agreements,
      'agreements',
      (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(v),
    ),
    families: list(families, 'families', (v) => (SCOPE_FAMILIES as readonly unknown[]).includes(v)) as
      MessageFamily[] | undefined,
  };
}
