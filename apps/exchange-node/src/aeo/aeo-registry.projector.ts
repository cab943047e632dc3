import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/config';
import { MessageType } from '@app/contracts';
import {
  type AeoOperatorData,
  AeoRegistryRepository,
  type Db,
  type InboxMessageRecord,
  LeasesRepository,
} from '@app/persistence';
import { InboundHandlers } from '../receive-message/inbound-handlers.registry';
import { DB } from '../shared/tokens';
import { WakeLoop } from '../shared/wake-loop';

/**
 * Applies the AEO syncs this node accepted to its registry of partner programmes: each sync once
 * (recorded in the same transaction), oldest first, woken after each accepted sync and by a poll —
 * so a sync stored just before a crash is applied after the restart. The inbox keeps the message
 * itself; the registry is what officers query.
 */
@Injectable()
export class AeoRegistryProjector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AeoRegistryProjector.name);
  private readonly loop = new WakeLoop(
    () => this.applyPending(),
    (error: unknown) =>
      this.logger.warn(
        `applying AEO syncs failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: AeoRegistryRepository,
    handlers: InboundHandlers,
  ) {
    handlers.register(MessageType.AeoStatusSync, () => void this.loop.wake());
  }

  onApplicationBootstrap(): void {
    this.loop.start(5_000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async applyPending(): Promise<void> {
    for (;;) {
      const pending = await this.registry.pendingSyncs(MessageType.AeoStatusSync, 20);
      for (const sync of pending) await this.apply(sync);
      if (pending.length < 20) return;
    }
  }

  private async apply(m: InboxMessageRecord): Promise<void> {
    const p = m.payload as {
      programme: string;
      kind: string;
      sequence?: number;
      operators?: AeoOperatorData[];
      withdrawnOperatorIds?: string[];
    };
    const operators = p.operators ?? [];
    const changed = await this.db.transaction(async (tx) => {
      // Replicas of the node apply syncs one at a time, and a sync another replica applied meanwhile
      // is not applied again.
      await LeasesRepository.lock(tx, 'puente.aeo-projector');
      if (await this.registry.isApplied(tx, m.id)) return undefined;
      return this.registry.applySync(tx, {
        provider: m.sender,
        messageId: m.id,
        programme: p.programme,
        full: p.kind === 'SYNC_KIND_FULL',
        sequence: p.sequence ?? 0,
        operators,
        withdrawn: p.withdrawnOperatorIds ?? [],
        at: this.clock.now(),
      });
    });
    if (changed === undefined) return;
    this.logger.log(
      `applied ${m.sender}'s ${p.programme} sync ${p.sequence ?? 0} (${p.kind === 'SYNC_KIND_FULL' ? 'full' : 'delta'}, message ${m.id}): ${operators.length} operators listed, ${changed} changes`,
    );
  }
}
