import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type ApiClientRecord, ApiClientsRepository, type Db } from '@app/persistence';
import { API_CLIENTS, DB } from '../shared/tokens';

/**
 * Makes the database's API clients equal to the file read at start-up, before the HTTP server
 * listens (Nest runs module init first): a client removed from the file loses access on restart.
 */
@Injectable()
export class ApiClientsRegistration implements OnModuleInit {
  private readonly logger = new Logger('Startup');

  constructor(
    @Inject(API_CLIENTS) private readonly clients: readonly ApiClientRecord[],
    @Inject(DB) private readonly db: Db,
    private readonly repository: ApiClientsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.db.transaction((tx) => this.repository.replaceAll(tx, this.clients));
    this.logger.log(`registering API clients: ok (${this.clients.length})`);
  }
}
