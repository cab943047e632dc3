export const ROLES = ['officer', 'ops', 'admin', 'legal'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller of this node's REST API: one agency client of this administration. */
export interface ApiClient {
  readonly id: string;
  readonly agency: string;
  readonly roles: readonly Role[];
}
