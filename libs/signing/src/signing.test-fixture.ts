// Test-only helpers for the specs beside this file (not exported from the library's index).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartyId } from '@app/contracts';
import { loadOwnKeys, type OwnKeys } from './own-keys.loader';
import { trustStoreFile, writePartyKeys } from './party-keys.files';
import { generatePartyKeys } from './party-keys.generator';
import { TrustStore } from './trust-store';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `puente-${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface KeysFixture {
  readonly dir: string;
  readonly trust: TrustStore;
  readonly own: Readonly<Record<PartyId, OwnKeys>>;
}

/** A keys directory with the given parties' keys and trust store, loaded the way a node loads them. */
export async function keysFixture(parties: readonly PartyId[]): Promise<KeysFixture> {
  const dir = tempDir('keys');
  const own: Record<PartyId, OwnKeys> = {};
  for (const party of parties) writePartyKeys(dir, await generatePartyKeys(party));
  for (const party of parties) own[party] = await loadOwnKeys(dir, party);
  return { dir, trust: await TrustStore.load(trustStoreFile(dir)), own };
}

export function ownOf(fixture: KeysFixture, party: PartyId): OwnKeys {
  const keys = fixture.own[party];
  if (!keys) throw new Error(`no keys for ${party} in the fixture`);
  return keys;
}

/** base64url of a JSON value: to forge protected headers by hand. */
export const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
export const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');
