import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { messageTypeNames, Optional, PARTY_ID, PARTY_ID_MAX } from '../http/edge-fields';

export const INBOX_LIMIT_MAX = 500;

/** `GET /v1/inbox` query: every filter optional. */
export class InboxQueryDto {
  @ApiPropertyOptional({ enum: messageTypeNames(), description: 'Message type, full or short name.' })
  @Optional()
  @IsIn(messageTypeNames())
  type?: string;

  @ApiPropertyOptional({ pattern: PARTY_ID.source, maxLength: PARTY_ID_MAX, description: 'Sender party id.' })
  @Optional()
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'from must be a party id like us-cbp' })
  from?: string;

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

/** `GET /v1/sent` query: every filter optional. */
export class SentQueryDto {
  @ApiPropertyOptional({ enum: messageTypeNames(), description: 'Message type, full or short name.' })
  @Optional()
  @IsIn(messageTypeNames())
  type?: string;

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

  @ApiPropertyOptional({ format: 'uuid', description: 'Only messages of this conversation.' })
  @Optional()
  @IsUUID()
  conversation?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INBOX_LIMIT_MAX, default: 50 })
  @Optional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(INBOX_LIMIT_MAX)
  limit?: number;
}

/** A message or conversation id in the path. */
export class IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
