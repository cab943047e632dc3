import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
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
  DocumentTypeSchema,
  type DocumentTypeJson,
  type FlightJson,
  RecommendedActionSchema,
  type RecommendedActionJson,
  type RiskAssessmentJson,
  RiskOutcomeSchema,
  type RiskOutcomeJson,
  SexSchema,
  type SexJson,
  type TravelDocumentJson,
  type TravelerJson,
  TravelerRoleSchema,
  type TravelerRoleJson,
  type TravelerResultJson,
  type TravelerRiskQueryJson,
} from '../gen/puente/passenger_risk/v1/messages_pb';
import { enumNames, IsCalendarDate, IsIcaoStateCode } from '../validation/validators';

export const MAX_TRAVELERS = 1000;
const NAME = /^[\p{L}][\p{L}\p{M}' .-]{0,98}$/u;

export class FlightDto implements FlightJson {
  @Matches(/^[A-Z0-9]{2}$/, { message: 'carrier must be an IATA airline designator (2 characters)' })
  carrier!: string;
  @Matches(/^\d{1,4}[A-Z]?$/, { message: 'flightNumber must be 1–4 digits with an optional suffix letter' })
  flightNumber!: string;
  @Matches(/^[A-Z]{3}$/, { message: 'origin must be an IATA airport code' }) origin!: string;
  @Matches(/^[A-Z]{3}$/, { message: 'destination must be an IATA airport code' }) destination!: string;
  @IsRFC3339() scheduledDeparture!: string;
  @IsRFC3339() scheduledArrival!: string;
}

export class TravelDocumentDto implements TravelDocumentJson {
  @IsIn(enumNames(DocumentTypeSchema)) type!: DocumentTypeJson;
  @Matches(/^[A-Z0-9<]{1,20}$/, { message: 'number must be 1–20 letters or digits' }) number!: string;
  @IsIcaoStateCode() issuingState!: string;
  @IsCalendarDate() expiry!: string;
}

export class TravelerDto implements TravelerJson {
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'travelerRef must be 1–40 letters, digits, _ or -' })
  travelerRef!: string;
  @Matches(NAME, { message: 'surname must be a name of letters, spaces, hyphens or apostrophes' })
  surname!: string;
  @Matches(NAME, { message: 'givenNames must be a name of letters, spaces, hyphens or apostrophes' })
  givenNames!: string;
  @IsCalendarDate() dateOfBirth!: string;
  @IsIn(enumNames(SexSchema)) sex!: SexJson;
  @IsIcaoStateCode() nationality!: string;
  @ValidateNested() @Type(() => TravelDocumentDto) document!: TravelDocumentDto;
  @IsIn(enumNames(TravelerRoleSchema)) role!: TravelerRoleJson;
}

export class TravelerRiskQueryDto implements TravelerRiskQueryJson {
  @ValidateNested() @Type(() => FlightDto) flight!: FlightDto;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRAVELERS)
  @ValidateNested({ each: true })
  @Type(() => TravelerDto)
  travelers!: TravelerDto[];
}

export class TravelerResultDto implements TravelerResultJson {
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'travelerRef must be 1–40 letters, digits, _ or -' })
  travelerRef!: string;
  @IsIn(enumNames(RiskOutcomeSchema)) outcome!: RiskOutcomeJson;
  // proto3 JSON omits zero values: a score of 0 and no reason codes arrive as absent fields.
  @IsOptional() @IsNumber() @Min(0) @Max(1) score?: number;
  @IsIn(enumNames(RecommendedActionSchema)) recommendedAction!: RecommendedActionJson;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  reasonCodes?: string[];
  @IsRFC3339() validUntil!: string;
}

export class RiskAssessmentDto implements RiskAssessmentJson {
  @IsUUID() queryMessageId!: string;
  @IsArray()
  @ArrayMaxSize(MAX_TRAVELERS)
  @ValidateNested({ each: true })
  @Type(() => TravelerResultDto)
  results!: TravelerResultDto[];
}
