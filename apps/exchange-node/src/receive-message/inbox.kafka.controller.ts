import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  INBOX_RECORD_PATTERN,
  INBOX_SET_ASIDE_PATTERN,
  type InboxRecord,
  type SetAsideRecord,
} from '@app/messaging';
import { ReceiveMessageService } from './receive-message.service';

/** Every record of this party's inbox topic arrives here, one at a time per partition. */
@Controller()
export class InboxKafkaController {
  constructor(private readonly receiveMessage: ReceiveMessageService) {}

  @EventPattern(INBOX_RECORD_PATTERN)
  handle(@Payload() record: InboxRecord): Promise<void> {
    return this.receiveMessage.handle(record);
  }

  /** A record whose handling failed for good: set aside, so its partition moves on. */
  @EventPattern(INBOX_SET_ASIDE_PATTERN)
  setAside(@Payload() aside: SetAsideRecord): Promise<void> {
    return this.receiveMessage.setAside(aside);
  }
}
