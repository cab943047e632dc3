import { Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ApiClient } from '@app/api-edge';
import { CurrentClient, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { IdParamDto } from '../messages/messages.query.dto';
import { PURPOSE_HEADER, purposeRequired, READ_PURPOSE, readPurpose } from './read-purpose';
import { UnmaskService } from './unmask.service';

const PurposeHeader = () =>
  ApiHeader({
    name: 'X-Puente-Purpose',
    required: true,
    description: 'Why: a purpose code, recorded in the access log (PURPOSE_REQUIRED without it).',
    schema: { type: 'string', pattern: READ_PURPOSE.source },
  });

function required(header: unknown): string {
  const purpose = readPurpose(header);
  if (!purpose) throw purposeRequired();
  return purpose;
}

/** Four-eyes unmasking of one masked message, for DPOs only (UnmaskService says the rules). */
@ApiTags('personal data')
@ApiBearerAuth()
@Controller('v1')
export class UnmaskHttpController {
  constructor(private readonly unmask: UnmaskService) {}

  @Post('messages/:id/unmask-requests')
  @HttpCode(201)
  @Roles('dpo')
  @PurposeHeader()
  @ApiResponse({ status: 201, description: 'The request, pending a second DPO’s approval' })
  @ApiRefusals(400, 401, 403, 404, 409, 429)
  request(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ) {
    return this.unmask.request(client, params.id, required(purpose));
  }

  @Post('unmask-requests/:id/approve')
  @HttpCode(200)
  @Roles('dpo')
  @PurposeHeader()
  @ApiOkResponse({ description: 'The request, approved: the DPO who asked may read the message now' })
  @ApiRefusals(400, 401, 403, 404, 409, 410, 429)
  approve(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ) {
    return this.unmask.approve(client, params.id, required(purpose));
  }

  @Get('unmask-requests/:id/message')
  @Roles('dpo')
  @PurposeHeader()
  @ApiOkResponse({ description: 'The message id and its original payload' })
  @ApiRefusals(400, 401, 403, 404, 409, 410, 429)
  read(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ) {
    return this.unmask.read(client, params.id, required(purpose));
  }
}
