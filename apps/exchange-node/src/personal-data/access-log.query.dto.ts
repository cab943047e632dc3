import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '../http/edge-fields';

export const ACCESS_LOG_LIMIT_MAX = 500;
export const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const digitsToNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/** `GET /v1/access-log` query: every filter optional, each bounded (a filter is never a scan of its own). */
export class AccessLogQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only reads of this message.' })
  @Optional()
  @IsUUID()
  message?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only reads of messages of this conversation.' })
  @Optional()
  @IsUUID()
  conversation?: string;

  @ApiPropertyOptional({ pattern: CLIENT_ID.source, description: 'Only reads by this API client (its id).' })
  @Optional()
  @IsString()
  @MaxLength(64)
  @Matches(CLIENT_ID, { message: 'client must be an API client id' })
  client?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this time on (inclusive).' })
  @Optional()
  @MaxLength(40)
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this time (exclusive).' })
  @Optional()
  @MaxLength(40)
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'The previous page’s `next`.' })
  @Optional()
  @Transform(digitsToNumber)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: ACCESS_LOG_LIMIT_MAX, default: 100 })
  @Optional()
  @Transform(digitsToNumber)
  @IsInt()
  @Min(1)
  @Max(ACCESS_LOG_LIMIT_MAX)
  limit?: number;
}
