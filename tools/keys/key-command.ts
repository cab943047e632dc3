import { parseArgs } from 'node:util';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { trustStoreFile } from '@app/signing';
import { revokePartyKey, rotatePartyKeys } from './key-rotation';

/** By default a rotation switches in an hour: time for every peer to learn the new keys first. */
export const DEFAULT_ROTATION_LEAD_SECONDS = 3600;

export type KeyCommand =
  | { readonly kind: 'rotate'; readonly out: string; readonly party: PartyId; readonly switchAt: Date }
  | {
      readonly kind: 'revoke';
      readonly out: string;
      readonly party: PartyId;
      readonly kid: string;
      readonly at: Date;
      readonly reason: string;
    };

export class KeyCommandUsageError extends Error {
  readonly code = 'USAGE';
}

/** `rotate …` or `revoke …`; undefined for anything else (the generate command's arguments). */
export function parseKeyCommand(
  argv: readonly string[],
  defaultOut: string,
  now = new Date(),
): KeyCommand | undefined {
  const [verb, ...rest] = argv;
  if (verb !== 'rotate' && verb !== 'revoke') return undefined;
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        out: { type: 'string' },
        party: { type: 'string' },
        in: { type: 'string' },
        at: { type: 'string' },
        kid: { type: 'string' },
        reason: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new KeyCommandUsageError(error instanceof Error ? error.message : String(error));
  }
  const party = values.party;
  if (!party || !PARTY_ID_PATTERN.test(party))
    throw new KeyCommandUsageError(`${verb} needs --party <party> (e.g. sv-dga)`);
  const out = values.out ?? defaultOut;
  if (verb === 'rotate') {
    if (values.in !== undefined && values.at !== undefined)
      throw new KeyCommandUsageError('give --in or --at, not both');
    const switchAt =
      values.at !== undefined
        ? instant(values.at, '--at')
        : new Date(now.getTime() + seconds(values.in) * 1000);
    return { kind: 'rotate', out, party, switchAt };
  }
  const kid = values.kid;
  if (!kid) throw new KeyCommandUsageError('revoke needs --kid <kid>');
  if (!kid.startsWith(`${party}:`)) throw new KeyCommandUsageError(`--kid must be one of ${party}'s kids`);
  const reason = values.reason ?? 'compromised';
  if (!/^[\x20-\x7e]{1,200}$/.test(reason))
    throw new KeyCommandUsageError('--reason must be 1–200 printable characters');
  return {
    kind: 'revoke',
    out,
    party,
    kid,
    at: values.at === undefined ? now : instant(values.at, '--at'),
    reason,
  };
}

export async function runKeyCommand(command: KeyCommand): Promise<string[]> {
  if (command.kind === 'rotate') {
    const r = await rotatePartyKeys(command.out, command.party, command.switchAt);
    return [
      `rotated   ${r.party} sig ${r.signingKid}  enc ${r.encryptionKid}  from ${r.switchAt.toISOString()}`,
      `retired   ${r.retiredKids.join(' ') || '(none)'} at ${r.switchAt.toISOString()} (kept: still verifiable)`,
      `trust store: ${trustStoreFile(command.out)}`,
    ];
  }
  const r = await revokePartyKey(command.out, command.party, command.kid, command.at, command.reason);
  if (!r.inTrustStore)
    throw new KeyCommandUsageError(`${command.kid} is not in ${trustStoreFile(command.out)}`);
  return [
    `revoked   ${command.kid} from ${command.at.toISOString()} (${command.reason})${r.inPrivateFile ? '; the node stops using it' : ''}`,
    `trust store: ${trustStoreFile(command.out)}`,
  ];
}

function seconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ROTATION_LEAD_SECONDS;
  if (!/^\d{1,9}$/.test(value)) throw new KeyCommandUsageError('--in takes whole seconds');
  return Number(value);
}

function instant(value: string, flag: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime()))
    throw new KeyCommandUsageError(`${flag} takes an ISO 8601 instant (e.g. 2026-12-01T00:00:00Z)`);
  return date;
}
