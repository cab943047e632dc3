import type { AgreementsCatalog } from '@app/agreements';
import type { NodeConfig } from '@app/config';
import { readMaskingSecret } from '@app/signing';
import type { ApiClientFileEntry } from './client-scope';
import { ROLES } from '@app/api-edge';

/**
 * The start-up checks of the personal-data settings that need more than one file: a client's scope
 * names agreements of the catalog, an agreement's `readableBy` names roles this node knows, and a
 * node that masks has its masking secret. Returns the secret (null when no agreement masks).
 */
export function checkPersonalDataSetup(
  config: NodeConfig,
  catalog: AgreementsCatalog,
  clients: readonly ApiClientFileEntry[],
): Buffer | null {
  const problems: string[] = [];
  const agreements = new Set(catalog.agreements.map((a) => a.id));
  for (const client of clients)
    for (const id of client.scope?.agreements ?? [])
      if (!agreements.has(id)) problems.push(`client ${client.id}: scope names unknown agreement ${id}`);
  for (const agreement of catalog.agreements) {
    const pd = agreement.personalData;
    for (const role of pd && 'allowedFields' in pd ? (pd.readableBy ?? []) : [])
      if (!(ROLES as readonly string[]).includes(role))
        problems.push(
          `agreement ${agreement.id}: readableBy names unknown role ${role} (known: ${ROLES.join(', ')})`,
        );
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (!catalog.agreements.some((a) => a.maskAfterDays !== undefined)) return null;
  return readMaskingSecret(config.personalData.maskingSecretFile);
}
