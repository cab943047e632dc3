import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type ApiClient, CurrentClient, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { PersonalDataReads } from '../personal-data/personal-data.reads';
import { PURPOSE_HEADER, PurposeHeader, readPurpose } from '../personal-data/read-purpose';
import { MessageView } from './message.view';
import { IdParamDto, InboxQueryDto } from './messages.query.dto';
import { MessagesQueryService } from './messages.query.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
export class MessagesHttpController {
  constructor(
    private readonly messages: MessagesQueryService,
    private readonly reads: PersonalDataReads,
  ) {}

  @Get('messages/:id')
  @Roles('officer', 'admin')
  @PurposeHeader()
  @ApiOkResponse({ type: MessageView })
  @ApiRefusals(400, 401, 403, 404, 429)
  async message(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ): Promise<MessageView> {
    const declared = readPurpose(purpose);
    return this.reads.one(client, declared, await this.messages.message(params.id));
  }

  @Get('inbox')
  @Roles('officer', 'admin')
  @PurposeHeader()
  @ApiOkResponse({ type: [MessageView] })
  @ApiRefusals(400, 401, 403, 429)
  async inbox(
    @CurrentClient() client: ApiClient,
    @Query() query: InboxQueryDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ): Promise<MessageView[]> {
    const declared = readPurpose(purpose);
    const views = await this.messages.inbox({ ...query, limit: query.limit ?? 50 });
    return this.reads.many(client, declared, 'inbox', views);
  }

  @Get('conversations/:id')
  @Roles('officer', 'admin')
  @PurposeHeader()
  @ApiOkResponse({ type: [MessageView] })
  @ApiRefusals(400, 401, 403, 404, 429)
  async conversation(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ): Promise<MessageView[]> {
    const declared = readPurpose(purpose);
    return this.reads.many(client, declared, 'conversation', await this.messages.conversation(params.id));
  }
}
