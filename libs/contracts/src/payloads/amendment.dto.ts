import {
  IsBase64,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import {
  AmendmentAppliedSchema,
  type AmendmentAppliedJson,
  type AmendmentConfirmationJson,
  type CorrectionJson,
  type WithdrawalJson,
} from '../gen/puente/amendment/v1/messages_pb';
import { enumNames } from '../validation/validators';

export class CorrectionDto implements CorrectionJson {
  @IsUUID() concernsMessageId!: string;
  // Which types may be replaced, and the replacement's own rules, are checked across fields
  // (payload.codec: replacementOfType), where the replacement is decoded as that type.
  @IsString() @IsNotEmpty() @MaxLength(100) replacedType!: string;
  @IsBase64() replacement!: string;
  @IsString() @IsNotEmpty() @MaxLength(2_000) reason!: string;
}

export class WithdrawalDto implements WithdrawalJson {
  @IsUUID() concernsMessageId!: string;
  @IsString() @IsNotEmpty() @MaxLength(2_000) reason!: string;
}

export class AmendmentConfirmationDto implements AmendmentConfirmationJson {
  @IsUUID() amendmentMessageId!: string;
  @IsUUID() concernsMessageId!: string;
  @IsIn(enumNames(AmendmentAppliedSchema).filter((n) => n !== 'AMENDMENT_APPLIED_UNSPECIFIED'))
  applied!: AmendmentAppliedJson;
  @IsOptional() @IsBoolean() supersededVersionKept?: boolean;
}
