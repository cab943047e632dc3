import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ApiClient } from '../auth/api-client';
import { CurrentClient, Roles } from '../auth/roles.decorator';
import { SubmitMessageDto, SubmitMessageResultDto } from './submit-message.dto';
import { SubmissionPipe } from './submission.pipe';
import { SubmitMessageService, type SubmitResult } from './submit-message.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/messages')
export class SubmitMessageHttpController {
  constructor(private readonly submitMessage: SubmitMessageService) {}

  @Post()
  @HttpCode(202)
  @Roles('officer')
  @ApiBody({ type: SubmitMessageDto })
  @ApiResponse({ status: 202, type: SubmitMessageResultDto, description: 'Accepted for sending.' })
  @ApiResponse({ status: 400, description: 'Invalid fields, listed by path; unknown type or recipient.' })
  @ApiResponse({ status: 403, description: 'No agreement permits it; the body carries the reason code.' })
  submit(
    @CurrentClient() client: ApiClient,
    @Body(SubmissionPipe) dto: SubmitMessageDto,
  ): Promise<SubmitResult> {
    return this.submitMessage.submit(client, dto, { payloadValidated: true });
  }
}
