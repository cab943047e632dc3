import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type ApiClient, CurrentClient, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { AmendmentService } from './amendment.service';
import { AmendmentSentView, CorrectionBodyDto, WithdrawalBodyDto } from './amendments.dto';

/** The provider corrects or withdraws messages it sent; each recipient applies and confirms (see GET /v1/messages/:id). */
@ApiTags('amendments')
@ApiBearerAuth()
@Controller('v1')
export class AmendmentsHttpController {
  constructor(private readonly amendments: AmendmentService) {}

  @Post('withdrawals')
  @HttpCode(202)
  @Roles('officer')
  @ApiResponse({ status: 202, type: AmendmentSentView, description: 'One Withdrawal per message, queued.' })
  @ApiRefusals(400, 401, 403, 404, 409, 429)
  withdraw(@CurrentClient() client: ApiClient, @Body() body: WithdrawalBodyDto): Promise<AmendmentSentView> {
    return this.amendments.withdraw(client, body);
  }

  @Post('corrections')
  @HttpCode(202)
  @Roles('officer')
  @ApiResponse({ status: 202, type: AmendmentSentView, description: 'One Correction per message, queued.' })
  @ApiRefusals(400, 401, 403, 404, 409, 422, 429)
  correct(@CurrentClient() client: ApiClient, @Body() body: CorrectionBodyDto): Promise<AmendmentSentView> {
    return this.amendments.correct(client, body);
  }
}
