import { Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { MessageView } from './message.view';
import { MessagesQueryService } from './messages.query.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
export class MessagesHttpController {
  constructor(private readonly messages: MessagesQueryService) {}

  @Get('messages/:id')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: MessageView })
  message(@Param('id', ParseUUIDPipe) id: string): Promise<MessageView> {
    return this.messages.message(id);
  }

  @Get('inbox')
  @Roles('officer', 'admin')
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'conversation', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ type: [MessageView] })
  inbox(
    @Query('type') type?: string,
    @Query('from') from?: string,
    @Query('conversation', new ParseUUIDPipe({ optional: true })) conversation?: string,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit = 50,
  ): Promise<MessageView[]> {
    return this.messages.inbox({ type, from, conversation, limit: Math.min(Math.max(limit, 1), 500) });
  }

  @Get('conversations/:id')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: [MessageView] })
  conversation(@Param('id', ParseUUIDPipe) id: string): Promise<MessageView[]> {
    return this.messages.conversation(id);
  }
}
