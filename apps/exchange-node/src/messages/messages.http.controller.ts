import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { MessageView } from './message.view';
import { IdParamDto, InboxQueryDto } from './messages.query.dto';
import { MessagesQueryService } from './messages.query.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
export class MessagesHttpController {
  constructor(private readonly messages: MessagesQueryService) {}

  @Get('messages/:id')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: MessageView })
  @ApiRefusals(400, 401, 403, 404, 429)
  message(@Param() params: IdParamDto): Promise<MessageView> {
    return this.messages.message(params.id);
  }

  @Get('inbox')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: [MessageView] })
  @ApiRefusals(400, 401, 403, 429)
  inbox(@Query() query: InboxQueryDto): Promise<MessageView[]> {
    return this.messages.inbox({ ...query, limit: query.limit ?? 50 });
  }

  @Get('conversations/:id')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: [MessageView] })
  @ApiRefusals(400, 401, 403, 404, 429)
  conversation(@Param() params: IdParamDto): Promise<MessageView[]> {
    return this.messages.conversation(params.id);
  }
}
