import { CompactSign } from 'jose';
import { type Manifest, MANIFEST_JWS_TYPE, MEMBER, unpackZip } from '@app/evidence';
import { loadOwnKeys, SIGNING_ALG } from '@app/signing';
import type { TestNode } from './test-network';

/** A bundle's manifest, parsed. */
export function manifestOf(members: ReadonlyMap<string, Uint8Array>): Manifest {
  return JSON.parse(Buffer.from(members.get(MEMBER.manifest) ?? []).toString()) as Manifest;
}

/** The bundle of a conversation as the node's REST API answers it, or the refusal's body. */
export async function fetchEvidence(
  node: TestNode,
  conversationId: string,
  query = '',
  token = node.tokens.officer,
): Promise<{
  status: number;
  members?: Map<string, Uint8Array>;
  bytes?: Uint8Array;
  error?: Record<string, unknown>;
}> {
  const res = await fetch(`${node.url}/v1/conversations/${conversationId}/evidence${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) return { status: res.status, error: (await res.json()) as Record<string, unknown> };
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: 200, bytes, members: unpackZip(bytes) };
}

/**
 * Re-signs a changed manifest with the exporting node's real signing key: what a dishonest exporter
 * could do, so the verifier's checks beyond the manifest's signature are what stands in its way.
 */
export async function resignManifest(
  exporter: TestNode,
  members: Map<string, Uint8Array>,
  manifest: Manifest,
): Promise<void> {
  const own = await loadOwnKeys(exporter.env.PUENTE_KEYS_DIR as string, exporter.party);
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signer = own.signingKeyAt(new Date(manifest.exportedAt));
  members.set(MEMBER.manifest, bytes);
  members.set(
    MEMBER.manifestJws,
    Buffer.from(
      await new CompactSign(bytes)
        .setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: MANIFEST_JWS_TYPE })
        .sign(signer.key),
    ),
  );
}
