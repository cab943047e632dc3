import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsRFC3339, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  AGREEMENT_ID,
  AGREEMENT_ID_MAX,
  messageTypeNames,
  NO_CONTROL_CHARACTERS,
  PARTY_ID,
  PARTY_ID_MAX,
  PURPOSE_MAX,
  Optional,
} from '../http/edge-fields';

/** `POST /v1/agreements/decisions`: the decision this node would take for a message, without sending it. */
export class DecisionRequestDto {
  @ApiProperty({ example: 'us-cbp', pattern: PARTY_ID.source, maxLength: PARTY_ID_MAX })
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'to must be a party id like us-cbp' })
  to!: string;

  @ApiProperty({ example: 'AssistanceRequest', enum: messageTypeNames() })
  @IsIn(messageTypeNames())
  type!: string;

  @ApiPropertyOptional({ example: 'cmaa-us-sv', pattern: AGREEMENT_ID.source, maxLength: AGREEMENT_ID_MAX })
  @Optional()
  @IsString()
  @MaxLength(AGREEMENT_ID_MAX)
  @Matches(AGREEMENT_ID, { message: 'agreement must be an agreement id like cmaa-us-sv' })
  agreement?: string;

  @ApiProperty({
    example: 'trafficking',
    minLength: 1,
    maxLength: PURPOSE_MAX,
    pattern: NO_CONTROL_CHARACTERS,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PURPOSE_MAX)
  purpose!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  inReplyTo?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Evaluate at this instant instead of now.' })
  @Optional()
  @IsRFC3339()
  at?: string;
}

export class DecisionDto {
  @ApiProperty() permitted!: boolean;
  @ApiPropertyOptional({ description: 'The agreement that permits it, or the one that refused it.' })
  agreementId?: string;
  @ApiPropertyOptional({ description: 'Refused: the stable reason code.' }) reason?: string;
  @ApiPropertyOptional({ description: 'Refused: the rule of the agreement that decided.' }) rule?: string;
  @ApiPropertyOptional() detail?: string;
}

class AgreementPartyDto {
  @ApiProperty() party!: string;
  @ApiProperty() role!: string;
}

class AgreementChannelDto {
  @ApiProperty({ type: [String] }) from!: string[];
  @ApiProperty({ type: [String] }) to!: string[];
  @ApiProperty({ type: [String], description: 'Message types, short names.' }) types!: string[];
}

/** An agreement as `GET /v1/agreements` describes it. */
export class AgreementDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['treaty', 'agreement', 'mou', 'mutual-recognition'] }) kind!: string;
  @ApiProperty({ type: [AgreementPartyDto] }) parties!: AgreementPartyDto[];
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) signedOn!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) inForceFrom!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) suspendedFrom!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) terminatedFrom!: string | null;
  @ApiProperty({ type: [AgreementChannelDto] }) channels!: AgreementChannelDto[];
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({
    oneOf: [
      { type: 'string', enum: ['not restricted by field', 'none permitted'] },
      {
        type: 'object',
        properties: {
          allowedFields: { type: 'array', items: { type: 'string' } },
          consentFields: { type: 'array', items: { type: 'string' } },
        },
        required: ['allowedFields'],
      },
    ],
  })
  personalData!: unknown;
  @ApiProperty({ type: 'integer', nullable: true }) retentionDays!: number | null;
  @ApiProperty({ enum: ['provider-consent-required', 'prohibited'] }) onwardTransfer!: string;
}
