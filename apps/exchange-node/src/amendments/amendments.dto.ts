import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { NO_CONTROL_CHARACTERS } from '../http/edge-fields';

/** The most messages (one per recipient) one correction or withdrawal covers. */
export const MAX_AMENDED_MESSAGES = 50;

/** `POST /v1/withdrawals`: withdraw messages this node sent (the same information sent to several parties). */
export class WithdrawalBodyDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    minItems: 1,
    maxItems: MAX_AMENDED_MESSAGES,
    uniqueItems: true,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_AMENDED_MESSAGES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  messages!: string[];

  @ApiProperty({
    description: 'Why: sent to each recipient, encrypted.',
    minLength: 1,
    maxLength: 2_000,
    pattern: NO_CONTROL_CHARACTERS,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2_000)
  reason!: string;
}

/** `POST /v1/corrections`: replace the payload of messages this node sent, all of one type. */
export class CorrectionBodyDto extends WithdrawalBodyDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The corrected payload, in proto3 JSON form, of the type of the messages corrected: 422 SCHEMA_INVALID naming each field (under replacement.) that breaks that type.',
  })
  @IsObject()
  replacement!: Record<string, unknown>;
}

export class AmendmentNoticeView {
  @ApiProperty({ description: 'The Correction or Withdrawal message id.' }) id!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty() recipient!: string;
}

export class AmendmentSentView {
  @ApiProperty({ type: [AmendmentNoticeView] }) notices!: AmendmentNoticeView[];
}
