import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsRFC3339,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  IsNotEmpty,
  ValidateNested,
} from 'class-validator';
import {
  AeoAnswerOutcomeSchema,
  type AeoAnswerOutcomeJson,
  type AeoOperatorJson,
  type AeoStatusAnswerJson,
  AeoStatusSchema,
  type AeoStatusJson,
  type AeoStatusQueryJson,
  type AeoStatusSyncJson,
  type AddressJson,
  type SyncKindJson,
} from '../gen/puente/aeo/v1/messages_pb';
import { enumNames, IsCalendarDate } from '../validation/validators';

/** Operators (and withdrawn ids) in one sync: a programme larger than this syncs in several messages. */
export const MAX_AEO_OPERATORS = 5000;
const OPERATOR_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const PROGRAMME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const COUNTRY = /^[A-Z]{2}$/;
const OPERATOR_ID_MESSAGE = 'operatorId must be 1–64 letters, digits, ".", "_", "/" or "-"';
const PROGRAMME_MESSAGE = 'programme must be 1–32 letters, digits, ".", "_" or "-"';

export class AddressDto implements AddressJson {
  @IsString() @IsNotEmpty() @MaxLength(200) street!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) city!: string;
  @IsOptional() @IsString() @MaxLength(20) postalCode?: string;
  @Matches(COUNTRY, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country!: string;
}

export class AeoOperatorDto implements AeoOperatorJson {
  @Matches(OPERATOR_ID, { message: OPERATOR_ID_MESSAGE }) operatorId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
  @Matches(COUNTRY, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country!: string;
  @IsIn(enumNames(AeoStatusSchema).filter((n) => n !== 'AEO_STATUS_UNSPECIFIED'))
  status!: AeoStatusJson;
  @IsCalendarDate() statusDate!: string;
  @IsCalendarDate() validationDate!: string;
  // proto3 JSON omits false: an absent consent is no consent (the agreement's consent rule refuses it).
  @IsOptional() @IsBoolean() consent?: boolean;
}

export class AeoStatusSyncDto implements AeoStatusSyncJson {
  @Matches(PROGRAMME, { message: PROGRAMME_MESSAGE }) programme!: string;
  @IsIn(['SYNC_KIND_FULL', 'SYNC_KIND_DELTA'] satisfies SyncKindJson[]) kind!: SyncKindJson;
  // proto3 JSON omits 0: the first sync's sequence may arrive absent.
  @IsOptional() @IsInt() @Min(0) @Max(4_294_967_295) sequence?: number;
  @IsRFC3339() asOf!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AEO_OPERATORS)
  @ValidateNested({ each: true })
  @Type(() => AeoOperatorDto)
  operators?: AeoOperatorDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AEO_OPERATORS)
  @Matches(OPERATOR_ID, { each: true, message: OPERATOR_ID_MESSAGE })
  withdrawnOperatorIds?: string[];
}

export class AeoStatusQueryDto implements AeoStatusQueryJson {
  @Matches(PROGRAMME, { message: PROGRAMME_MESSAGE }) programme!: string;
  @Matches(OPERATOR_ID, { message: OPERATOR_ID_MESSAGE }) operatorId!: string;
}

export class AeoStatusAnswerDto implements AeoStatusAnswerJson {
  @IsUUID() queryMessageId!: string;
  @IsIn(enumNames(AeoAnswerOutcomeSchema).filter((n) => n !== 'AEO_ANSWER_OUTCOME_UNSPECIFIED'))
  outcome!: AeoAnswerOutcomeJson;
  @IsOptional() @ValidateNested() @Type(() => AeoOperatorDto) operator?: AeoOperatorDto;
}
