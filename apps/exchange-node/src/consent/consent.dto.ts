import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NO_CONTROL_CHARACTERS, Optional, PARTY_ID, PARTY_ID_MAX, PURPOSE_MAX } from '../http/edge-fields';

const USE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `POST /v1/messages/:id/consent-requests`: ask the provider of a received message for one further use. */
export class ConsentRequestBodyDto {
  @ApiPropertyOptional({
    example: 'us-cbp',
    description: 'The party the message would be passed on to.',
    pattern: PARTY_ID.source,
    maxLength: PARTY_ID_MAX,
  })
  @Optional()
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'intendedRecipient must be a party id like us-cbp' })
  intendedRecipient?: string;

  @ApiPropertyOptional({
    example: 'prosecution-evidence',
    description:
      'Or: a use outside the agreement’s purposes (kebab-case). Exactly one of the two (else 422).',
    pattern: USE.source,
  })
  @Optional()
  @IsString()
  @Matches(USE, { message: 'intendedUse must be kebab-case, like prosecution-evidence' })
  intendedUse?: string;

  @ApiProperty({
    description: 'Why: sent to the provider, encrypted.',
    minLength: 1,
    maxLength: 2_000,
    pattern: NO_CONTROL_CHARACTERS,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2_000)
  purpose!: string;
}

/** `POST /v1/consent-requests/:id/decision`: the provider's officer grants or refuses. */
export class ConsentDecisionBodyDto {
  @ApiProperty({ enum: ['granted', 'refused'] })
  @IsIn(['granted', 'refused'])
  outcome!: 'granted' | 'refused';

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 1_000, pattern: NO_CONTROL_CHARACTERS },
    maxItems: 20,
    description: 'Granted: the conditions of the use (with a refusal: 422).',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1_000, { each: true })
  conditions?: string[];

  @ApiPropertyOptional({
    description: 'Refused: why (required: 422 without).',
    minLength: 1,
    maxLength: 2_000,
    pattern: NO_CONTROL_CHARACTERS,
  })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2_000)
  reason?: string;
}

/** `POST /v1/messages/:id/forward`: pass a received message on, as spontaneous information. */
export class ForwardBodyDto {
  @ApiProperty({
    example: 'us-cbp',
    description: 'The party to pass the information on to.',
    pattern: PARTY_ID.source,
    maxLength: PARTY_ID_MAX,
  })
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'to must be a party id like us-cbp' })
  to!: string;

  @ApiPropertyOptional({
    description: 'Purpose of the onward message; the original’s when omitted.',
    minLength: 1,
    maxLength: PURPOSE_MAX,
    pattern: NO_CONTROL_CHARACTERS,
  })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PURPOSE_MAX)
  purpose?: string;
}

export class ConsentQueryDto {
  @ApiPropertyOptional({ enum: ['requested', 'received'], description: 'requested: asked by this node.' })
  @Optional()
  @IsIn(['requested', 'received'])
  side?: 'requested' | 'received';

  @ApiPropertyOptional({ enum: ['pending', 'granted', 'refused'] })
  @Optional()
  @IsIn(['pending', 'granted', 'refused'])
  status?: 'pending' | 'granted' | 'refused';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @Optional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ConsentIdParamDto {
  @ApiProperty({ format: 'uuid', description: 'The ConsentRequest message id.' }) @IsUUID() id!: string;
}
