import { Controller, Inject, type MessageEvent, Sse, UseGuards } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { BearerAuthGuard, Roles } from '@app/api-edge';
import type { LiveStream } from '../live/live.stream';
import { LIVE_STREAM } from '../shared/tokens';

@Controller('api/stream')
// The monitor's API and stream are for ops clients; tokens only in the Authorization header, never in a URL.
@UseGuards(BearerAuthGuard)
@Roles('ops')
export class StreamHttpController {
  constructor(@Inject(LIVE_STREAM) private readonly live: LiveStream) {}

  /** Server-Sent Events: `summary` about once a second, `flow` with new events (see LiveStream). */
  @Sse()
  stream(): Observable<MessageEvent> {
    return this.live.open();
  }
}
