import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsUUID,
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  type AssistanceRequestJson,
  type AssistanceResponseJson,
  type ForwardedFromJson,
  type RefusalJson,
  RefusalGroundsSchema,
  type RefusalGroundsJson,
  ReliabilitySchema,
  type ReliabilityJson,
  type SpontaneousInformationJson,
  UrgencySchema,
  type UrgencyJson,
} from '../gen/puente/customs_offense/v1/messages_pb';
import {
  type CompanyJson,
  ConveyanceKindSchema,
  type ConveyanceKindJson,
  type ConveyanceJson,
  type DeclarationJson,
  type GoodsJson,
  type IdentityDocumentJson,
  type MoneyJson,
  OffenseCategorySchema,
  type OffenseCategoryJson,
  type PersonJson,
  type SubjectsJson,
} from '../gen/puente/customs_offense/v1/subjects_pb';
import { PARTY_ID_PATTERN } from '../party';
import { enumNames, IsCalendarDate, IsDecimalString } from '../validation/validators';

const TEXT = 2_000;
const LONG_TEXT = 20_000;
const NAME = 200;
const LIST = 500;

export class IdentityDocumentDto implements IdentityDocumentJson {
  @IsString() @IsNotEmpty() @MaxLength(50) type!: string;
  @IsString() @IsNotEmpty() @MaxLength(50) number!: string;
  @IsISO31661Alpha2() issuingCountry!: string;
}

export class PersonDto implements PersonJson {
  @IsString() @IsNotEmpty() @MaxLength(NAME) surname!: string;
  @IsOptional() @IsString() @MaxLength(NAME) givenNames?: string;
  @IsOptional() @IsCalendarDate() dateOfBirth?: string;
  @IsOptional() @IsISO31661Alpha2() nationality?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IdentityDocumentDto)
  documents?: IdentityDocumentDto[];
  @IsOptional() @IsString() @MaxLength(100) role?: string;
}

export class CompanyDto implements CompanyJson {
  @IsString() @IsNotEmpty() @MaxLength(NAME) name!: string;
  @IsOptional() @IsString() @MaxLength(50) taxId?: string;
  @IsISO31661Alpha2() country!: string;
  @IsOptional() @IsString() @MaxLength(500) address?: string;
}

export class MoneyDto implements MoneyJson {
  @IsDecimalString() amount!: string;
  @IsISO4217CurrencyCode() currency!: string;
}

export class GoodsDto implements GoodsJson {
  @Matches(/^\d{6}(\d{2}){0,2}$/, { message: 'hsCode must be an HS code of 6, 8 or 10 digits' })
  hsCode!: string;
  @IsString() @IsNotEmpty() @MaxLength(TEXT) description!: string;
  @IsOptional() @IsDecimalString() quantity?: string;
  @IsOptional()
  @Matches(/^[A-Z0-9]{2,3}$/, { message: 'unit must be a UN/ECE Rec. 20 unit code such as KGM' })
  unit?: string;
  @IsOptional() @ValidateNested() @Type(() => MoneyDto) declaredValue?: MoneyDto;
  @IsOptional() @IsISO31661Alpha2() originCountry?: string;
}

export class ConveyanceDto implements ConveyanceJson {
  @IsIn(enumNames(ConveyanceKindSchema)) kind!: ConveyanceKindJson;
  @IsString() @IsNotEmpty() @MaxLength(50) identifier!: string;
  @IsOptional() @IsISO31661Alpha2() flagCountry?: string;
}

export class DeclarationDto implements DeclarationJson {
  @IsString() @IsNotEmpty() @MaxLength(50) number!: string;
  @IsCalendarDate() date!: string;
  @IsOptional() @IsString() @MaxLength(100) customsOffice?: string;
  @IsOptional() @IsString() @MaxLength(NAME) declarant?: string;
}

export class SubjectsDto implements SubjectsJson {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  persons?: PersonDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => CompanyDto)
  companies?: CompanyDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => GoodsDto)
  goods?: GoodsDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => ConveyanceDto)
  conveyances?: ConveyanceDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => DeclarationDto)
  declarations?: DeclarationDto[];
}

const CASE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/;

export class AssistanceRequestDto implements AssistanceRequestJson {
  @Matches(CASE_REFERENCE, { message: 'caseReference must be 1–64 letters, digits, / _ . -' })
  caseReference!: string;
  @IsIn(enumNames(OffenseCategorySchema)) offenseCategory!: OffenseCategoryJson;
  @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) summary!: string;
  @ValidateNested() @Type(() => SubjectsDto) subjects!: SubjectsDto;
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(TEXT, { each: true })
  informationRequested!: string[];
  @IsIn(enumNames(UrgencySchema)) urgency!: UrgencyJson;
  @IsOptional() @IsCalendarDate() replyBy?: string;
}

export class AssistanceResponseDto implements AssistanceResponseJson {
  @Matches(CASE_REFERENCE, { message: 'caseReference must be 1–64 letters, digits, / _ . -' })
  caseReference!: string;
  @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) summary!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  findings?: string[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(NAME, { each: true })
  documentsReferenced?: string[];
  @IsOptional() @ValidateNested() @Type(() => SubjectsDto) informationProvided?: SubjectsDto;
  @IsOptional() @IsBoolean() complete?: boolean;
}

export class RefusalDto implements RefusalJson {
  @Matches(CASE_REFERENCE, { message: 'caseReference must be 1–64 letters, digits, / _ . -' })
  caseReference!: string;
  @IsIn(enumNames(RefusalGroundsSchema)) grounds!: RefusalGroundsJson;
  @IsString() @IsNotEmpty() @MaxLength(TEXT) explanation!: string;
}

export class ForwardedFromDto implements ForwardedFromJson {
  @IsUUID() messageId!: string;
  @Matches(PARTY_ID_PATTERN, { message: 'provider must be a party id like sv-dga' }) provider!: string;
  @IsUUID() consentMessageId!: string;
}

export class SpontaneousInformationDto implements SpontaneousInformationJson {
  @Matches(CASE_REFERENCE, { message: 'caseReference must be 1–64 letters, digits, / _ . -' })
  caseReference!: string;
  @IsIn(enumNames(OffenseCategorySchema)) offenseCategory!: OffenseCategoryJson;
  @IsString() @IsNotEmpty() @MaxLength(LONG_TEXT) summary!: string;
  @ValidateNested() @Type(() => SubjectsDto) subjects!: SubjectsDto;
  @IsIn(enumNames(ReliabilitySchema)) reliability!: ReliabilityJson;
  @IsOptional() @ValidateNested() @Type(() => ForwardedFromDto) forwardedFrom?: ForwardedFromDto;
}
