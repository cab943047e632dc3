import { Controller, Get, Header, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { BUNDLE_MEDIA_TYPE } from '@app/evidence';
import { type ApiClient, CurrentClient, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { IdParamDto } from '../messages/messages.query.dto';
import { PURPOSE_HEADER, PurposeHeader, readPurpose } from '../personal-data/read-purpose';
import { EvidenceQueryDto } from './evidence.query.dto';
import { EvidenceService } from './evidence.service';

@ApiTags('evidence')
@ApiBearerAuth()
@Controller('v1/conversations')
export class EvidenceHttpController {
  constructor(private readonly evidence: EvidenceService) {}

  /**
   * One conversation as an evidence bundle (a ZIP, `npm run evidence:verify` checks it offline).
   * Every export is an audit entry naming the client and the conversation. `?for=` makes it for a
   * third party, which needs each provider's consent (CONSENT_REQUIRED).
   */
  @Get(':id/evidence')
  @Roles('officer', 'legal')
  @PurposeHeader()
  @Header('content-type', BUNDLE_MEDIA_TYPE)
  @Header('cache-control', 'no-store')
  @ApiProduces(BUNDLE_MEDIA_TYPE)
  @ApiOkResponse({
    description:
      'The evidence bundle (ZIP): signed records, receipts, keys, agreements, audit segment, signed manifest.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiRefusals(400, 401, 403, 404, 429)
  async export(
    @Param() params: IdParamDto,
    @Query() query: EvidenceQueryDto,
    @CurrentClient() client: ApiClient,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ): Promise<StreamableFile> {
    const exported = await this.evidence.export(params.id, client, readPurpose(purpose), query.for);
    return new StreamableFile(exported.bundle, {
      disposition: `attachment; filename="evidence-${params.id}.zip"`,
      length: exported.bundle.length,
    });
  }
}
