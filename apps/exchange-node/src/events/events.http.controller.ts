import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type ApiClient, CurrentClient, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { ExchangeError } from '../shared/exchange.error';
import { EventStreamService } from './event-stream.service';

/** A sequence number as the stream's `id:` lines carry it. */
const SEQUENCE = /^(0|[1-9][0-9]{0,17})$/;

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsHttpController {
  constructor(private readonly stream: EventStreamService) {}

  @Get()
  @Roles('officer', 'admin')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'Resume after this event (the `id:` of the last one received); `0` for every retained event; absent: from now on.',
    schema: { type: 'string', pattern: SEQUENCE.source },
  })
  @ApiOkResponse({
    description:
      'Server-sent events: `id:` the sequence number, `event:` the type, `data:` the event as JSON (id, sequence, type, occurredAt, node, data).',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiRefusals(400, 401, 403, 429)
  async events(
    @CurrentClient() client: ApiClient,
    @Headers('last-event-id') lastEventId: unknown,
    @Res() res: Response,
  ): Promise<void> {
    if (lastEventId !== undefined && (typeof lastEventId !== 'string' || !SEQUENCE.test(lastEventId)))
      throw ExchangeError.invalid([
        {
          path: 'Last-Event-ID',
          rule: 'sequence',
          message: 'Last-Event-ID must be an event sequence number',
        },
      ]);
    await this.stream.serve(client, lastEventId, res);
  }
}
