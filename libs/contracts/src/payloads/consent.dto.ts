import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  ConsentOutcomeSchema,
  type ConsentDecisionJson,
  type ConsentOutcomeJson,
  type ConsentRequestJson,
} from '../gen/puente/consent/v1/messages_pb';
import { PARTY_ID_PATTERN } from '../party';
import { enumNames } from '../validation/validators';

const USE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class ConsentRequestDto implements ConsentRequestJson {
  @IsUUID() concernsMessageId!: string;
  // Exactly one of the two: the proto cannot say so, the node checks it (ConsentRequests.subjectOf).
  @IsOptional()
  @Matches(PARTY_ID_PATTERN, { message: 'intendedRecipient must be a party id like us-cbp' })
  intendedRecipient?: string;
  @IsOptional()
  @Matches(USE, {
    message: 'intendedUse must be lowercase letters, digits and "-", like prosecution-evidence',
  })
  intendedUse?: string;
  @IsString() @IsNotEmpty() @MaxLength(2_000) purpose!: string;
}

export class ConsentDecisionDto implements ConsentDecisionJson {
  @IsUUID() requestMessageId!: string;
  @IsUUID() concernsMessageId!: string;
  @IsIn(enumNames(ConsentOutcomeSchema).filter((n) => n !== 'CONSENT_OUTCOME_UNSPECIFIED'))
  outcome!: ConsentOutcomeJson;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1_000, { each: true })
  conditions?: string[];
  @IsOptional() @IsString() @MaxLength(2_000) reason?: string;
}
