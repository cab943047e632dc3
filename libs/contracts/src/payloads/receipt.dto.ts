import { IsIn, IsOptional, IsRFC3339, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  ReceiptOutcomeSchema,
  type ReceiptJson,
  type ReceiptOutcomeJson,
} from '../gen/puente/common/v1/envelope_pb';
import { enumNames } from '../validation/validators';

export class ReceiptDto implements ReceiptJson {
  // Empty (omitted) when the envelope received could not be decoded: the digest still identifies the record.
  @IsOptional() @IsUUID() messageId?: string;
  @IsIn(enumNames(ReceiptOutcomeSchema)) outcome!: ReceiptOutcomeJson;
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'reasonCode must be a reason code' })
  reasonCode?: string;
  @IsOptional() @IsString() @MaxLength(300) rule?: string;
  @IsOptional() @IsString() @MaxLength(1000) detail?: string;
  @Matches(/^sha256:[0-9a-f]{64}$/, { message: 'digest must be sha256:<hex>' }) digest!: string;
  @IsRFC3339() receivedAt!: string;
}
