import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import type { NodeMetrics } from '@app/observability';
import { METRICS } from '../shared/tokens';

/** Prometheus text format. Unauthenticated like /health: it carries counts and codes, never message contents. */
@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsHttpController {
  constructor(@Inject(METRICS) private readonly metrics: NodeMetrics) {}

  @Get()
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiRefusals(429)
  @Header('content-type', 'text/plain; version=0.0.4')
  text(): Promise<string> {
    return this.metrics.text();
  }
}
