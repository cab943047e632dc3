import type { Queryable } from '../db/db';
import type { ApiClientRecord } from './records';

/** The agency clients allowed to call this node's REST API. Only token hashes are stored. */
export class ApiClientsRepository {
  constructor(private readonly db: Queryable) {}

  /** Makes the table equal to `clients` (the configured list is the source of truth). */
  async replaceAll(tx: Queryable, clients: readonly ApiClientRecord[]): Promise<void> {
    await tx.query('delete from api_clients');
    for (const c of clients) {
      await tx.query('insert into api_clients (id, agency, roles, token_sha256) values ($1, $2, $3, $4)', [
        c.id,
        c.agency,
        [...c.roles],
        c.tokenSha256,
      ]);
    }
  }

  async findByTokenHash(tokenSha256: string): Promise<ApiClientRecord | undefined> {
    const rows = await this.db.query(
      'select id, agency, roles, token_sha256 from api_clients where token_sha256 = $1',
      [tokenSha256],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: String(r.id),
      agency: String(r.agency),
      roles: r.roles as string[],
      tokenSha256: String(r.token_sha256),
    };
  }
}
