/**
 * The roles an API client may hold, on every HTTP edge (the node's API, its console, the ops
 * monitor). One list, so that a new role is one line here.
 */
export const ROLES = ['officer', 'ops', 'admin', 'legal', 'dpo', 'passenger-analyst'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller of an HTTP edge: one agency client of this administration. */
export interface ApiClient {
  readonly id: string;
  readonly agency: string;
  readonly roles: readonly Role[];
}

/** An entry of the API clients file: the client and the SHA-256 of its bearer token (never the token). */
export interface ApiClientEntry extends ApiClient {
  readonly tokenSha256: string;
}

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}
