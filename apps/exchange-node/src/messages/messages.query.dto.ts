import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { messageTypeNames, Optional, PARTY_ID, PARTY_ID_MAX } from '../http/edge-fields';

export const INBOX_LIMIT_MAX = 500;

/** What the inbox and the sent list filter by alike; every filter optional. */
class MessageListQueryDto {
  @ApiPropertyOptional({ enum: messageTypeNames(), description: 'Message type, full or short name.' })
  @Optional()
  @IsIn(messageTypeNames())
  type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only messages of this conversation.' })
  @Optional()
  @IsUUID()
  conversation?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INBOX_LIMIT_MAX, default: 50 })
  @Optional()
  // Only plain digits become a number; anything else stays a string and fails @IsInt.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(INBOX_LIMIT_MAX)
  limit?: number;
}

/** `GET /v1/inbox` query. */
export class InboxQueryDto extends MessageListQueryDto {
  @ApiPropertyOptional({ pattern: PARTY_ID.source, maxLength: PARTY_ID_MAX, description: 'Sender party id.' })
  @Optional()
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'from must be a party id like us-cbp' })
  from?: string;
}

/** `GET /v1/sent` query. */
export class SentQueryDto extends MessageListQueryDto {
  @ApiPropertyOptional({
    pattern: PARTY_ID.source,
    maxLength: PARTY_ID_MAX,
    description: 'Recipient party id.',
  })
  @Optional()
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'to must be a party id like us-cbp' })
  to?: string;
}

/** A message or conversation id in the path. */
export class IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
