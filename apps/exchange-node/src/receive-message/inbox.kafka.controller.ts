import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { INBOX_RECORD_PATTERN, type InboxRecord } from '@app/messaging';
import { ReceiveMessageService } from './receive-message.service';

/** Every record of this party's inbox topic arrives here, one at a time per partition. */
@Controller()
export class InboxKafkaController {
  constructor(private readonly receiveMessage: ReceiveMessageService) {}

  @EventPattern(INBOX_RECORD_PATTERN)
  handle(@Payload() record: InboxRecord): Promise<void> {
    return this.receiveMessage.handle(record);
  }
}
