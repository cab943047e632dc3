import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  AGREEMENT_ID,
  AGREEMENT_ID_MAX,
  MESSAGE_TYPE_MAX,
  PARTY_ID,
  PARTY_ID_MAX,
  PURPOSE_MAX,
  Optional,
} from '../http/edge-fields';

/** `POST /v1/messages`: what an officer submits; the payload is validated against the type's schema separately. */
export class SubmitMessageDto {
  @ApiProperty({
    example: 'puente.customs_offense.v1.AssistanceRequest',
    description: 'Message type, full name or short name (AssistanceRequest).',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MESSAGE_TYPE_MAX)
  type!: string;

  @ApiProperty({ example: 'us-cbp', description: 'Recipient party id.' })
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'to must be a party id like us-cbp' })
  to!: string;

  @ApiPropertyOptional({
    example: 'cmaa-us-sv',
    description: 'Agreement to send under; chosen automatically when omitted.',
  })
  @Optional()
  @IsString()
  @MaxLength(AGREEMENT_ID_MAX)
  @Matches(AGREEMENT_ID, { message: 'agreement must be an agreement id like cmaa-us-sv' })
  agreement?: string;

  @ApiProperty({ example: 'trafficking', description: 'A purpose the agreement allows.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PURPOSE_MAX)
  purpose!: string;

  @ApiPropertyOptional({ description: 'The message this one answers (required for reply types).' })
  @Optional()
  @IsUUID()
  inReplyTo?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The message body in proto3 JSON form.',
  })
  @IsObject()
  payload!: Record<string, unknown>;
}

/** A submission SubmissionPipe has validated (typed apart from the class, so no other pipe validates it again). */
export type ValidSubmission = Readonly<SubmitMessageDto>;

export class SubmitMessageResultDto {
  @ApiProperty() id!: string;
  @ApiProperty() conversationId!: string;
  @ApiProperty({ enum: ['queued', 'sent', 'delivered', 'rejected', 'failed'] }) status!: string;
}

/** The most messages one `POST /v1/messages/batch` carries. */
export const MAX_SUBMIT_BATCH = 100;

/** `POST /v1/messages/batch`: up to MAX_SUBMIT_BATCH submissions, each judged on its own. */
export class SubmitBatchDto {
  @ApiProperty({ type: [SubmitMessageDto], minItems: 1, maxItems: MAX_SUBMIT_BATCH })
  messages!: SubmitMessageDto[];
}

export class SubmitBatchItemResultDto {
  @ApiProperty({ description: 'Position of the submission in `messages`.' }) index!: number;
  @ApiPropertyOptional({ description: 'Accepted for sending: the message id.' }) id?: string;
  @ApiPropertyOptional() conversationId?: string;
  @ApiPropertyOptional({ enum: ['queued'] }) status?: string;
  @ApiPropertyOptional({ description: 'Refused: the HTTP status it would have had alone.' })
  statusCode?: number;
  @ApiPropertyOptional({ description: 'Refused: the stable reason code.' }) code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ description: 'Refused: the field or rule that caused it.' }) rule?: string;
}

export class SubmitBatchResultDto {
  @ApiProperty() accepted!: number;
  @ApiProperty() refused!: number;
  @ApiProperty({ type: [SubmitBatchItemResultDto] }) results!: SubmitBatchItemResultDto[];
}
