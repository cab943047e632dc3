import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** `POST /v1/messages`: what an officer submits; the payload is validated against the type's schema separately. */
export class SubmitMessageDto {
  @ApiProperty({
    example: 'puente.customs_offense.v1.AssistanceRequest',
    description: 'Message type, full name or short name (AssistanceRequest).',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  type!: string;

  @ApiProperty({ example: 'us-cbp', description: 'Recipient party id.' })
  @IsString()
  @Matches(/^[a-z]{2}-[a-z0-9]+$/, { message: 'to must be a party id like us-cbp' })
  to!: string;

  @ApiPropertyOptional({
    example: 'cmaa-us-sv',
    description: 'Agreement to send under; chosen automatically when omitted.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agreement?: string;

  @ApiProperty({ example: 'trafficking', description: 'A purpose the agreement allows.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  purpose!: string;

  @ApiPropertyOptional({ description: 'The message this one answers (required for reply types).' })
  @IsOptional()
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

export class SubmitMessageResultDto {
  @ApiProperty() id!: string;
  @ApiProperty() conversationId!: string;
  @ApiProperty({ enum: ['queued', 'sent', 'delivered', 'rejected', 'failed'] }) status!: string;
}
