import { statSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { loadOwnKeys, type OwnKeys, privateKeysFile, TrustStore } from '@app/signing';
import { OWN_KEYS, TRUST_STORE } from '../shared/tokens';
import { KeyAnnouncementsService } from './key-announcements.service';

/**
 * Takes key changes while the node runs, without a restart: every PUENTE_KEYS_RELOAD_MS it looks
 * whether this node's private key file or the trust store file changed. A changed key file replaces
 * the node's own keys (a rotation's new keys sign from their notBefore; a revoked key is no longer
 * used; what changed is announced to the peers); a changed trust store file adds keys and applies ends and revocations to the live store
 * (never widens one). A file that cannot be read or fails its checks is reported and the keys in use
 * stay as they were: a half-written or broken file must not take a running node down.
 */
@Injectable()
export class KeyFilesWatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Keys');
  private timer: NodeJS.Timeout | undefined;
  private readonly seen = new Map<string, string>();
  private checking = false;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(OWN_KEYS) private readonly ownKeys: OwnKeys,
    @Inject(TRUST_STORE) private readonly trustStore: TrustStore,
    private readonly announcements: KeyAnnouncementsService,
  ) {}

  onModuleInit(): void {
    // The files as loaded at start-up are the baseline: only later changes are taken.
    this.changed(this.ownKeysFile);
    this.changed(this.config.keys.trustStoreFile);
    this.timer = setInterval(() => void this.check(), this.config.keys.reloadIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Looks once (the timer calls it; tests may too). */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const ownChanged = this.changed(this.ownKeysFile);
      if (ownChanged) await this.reloadOwnKeys();
      if (this.changed(this.config.keys.trustStoreFile)) await this.reloadTrustStore();
      // New keys, ends and revocations of this party go to the peers over the trust topic.
      if (ownChanged) await this.announcements.announceOwnKeys();
    } finally {
      this.checking = false;
    }
  }

  private get ownKeysFile(): string {
    return privateKeysFile(this.config.keys.dir, this.config.party);
  }

  private async reloadOwnKeys(): Promise<void> {
    try {
      this.ownKeys.replace(await loadOwnKeys(this.config.keys.dir, this.config.party));
      const { sig, enc } = this.ownKeys.allKeys();
      this.logger.log(`own keys reloaded: ${sig.length} signing, ${enc.length} encryption`);
    } catch (error) {
      this.logger.error(`own keys not reloaded, the keys in use stay: ${messageOf(error)}`);
    }
  }

  private async reloadTrustStore(): Promise<void> {
    try {
      const changed = this.trustStore.takeFrom(await TrustStore.load(this.config.keys.trustStoreFile));
      this.logger.log(`trust store file reloaded: ${changed} key(s) added or changed`);
    } catch (error) {
      this.logger.error(`trust store file not reloaded, the keys in use stay: ${messageOf(error)}`);
    }
  }

  /** Whether the file's size or modification time moved since last seen (a missing file counts as a state). */
  private changed(file: string): boolean {
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      stamp = 'missing';
    }
    const before = this.seen.get(file);
    this.seen.set(file, stamp);
    return before !== undefined && before !== stamp;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
