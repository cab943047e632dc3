import { readFileSync } from 'node:fs';
import { type JWK, importJWK, type KeyLike } from 'jose';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';

/**
 * What the bench hands each process of the hand-rolled peer (a JSON file, mode 0600): where the
 * broker and its own database are, its own signing key and the other side's public key.
 */
export interface DiyPeerConfig {
  readonly brokers: readonly string[];
  /**
   * kafkajs's TLS and SASL options: the bench's broker access (as the admin, as the transport ceiling
   * uses), resolved by the bench so that these processes load kafkajs, jose and pg and nothing of Puente.
   */
  readonly security: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  readonly databaseUrl: string;
  readonly topics: { readonly messages: string; readonly receipts: string };
  readonly ownKey: JWK;
  readonly peerKey: JWK;
  /** The ~2 KB JSON payload each message carries (with its own case reference), as the bench's. */
  readonly payload: Readonly<Record<string, unknown>>;
}

export function readDiyConfig(file: string | undefined): DiyPeerConfig {
  if (!file) throw new Error('usage: diy-<sender|receiver>.main.js <config.json>');
  return JSON.parse(readFileSync(file, 'utf8')) as DiyPeerConfig;
}

/** A plain kafkajs client: the connection is the bench's, the rest is what a team would write. */
export function diyKafka(config: DiyPeerConfig, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...config.brokers], ...config.security, logLevel: logLevel.ERROR });
}

export async function diyKeys(config: DiyPeerConfig): Promise<{ own: KeyLike; peer: KeyLike }> {
  const own = (await importJWK(config.ownKey, 'EdDSA')) as KeyLike;
  const peer = (await importJWK(config.peerKey, 'EdDSA')) as KeyLike;
  return { own, peer };
}

/** Messages between the bench and a DIY process (over the IPC channel). */
export type DiyCommand = { readonly run: number } | { readonly stop: true };
export type DiyReport =
  | { readonly ready: true }
  | { readonly done: { readonly sent: number; readonly recordBytes: number } }
  | { readonly refused: number };
