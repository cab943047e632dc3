import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'The field, e.g. `payload.subjects.goods[0].hsCode` (empty: the whole body).' })
  path!: string;
  @ApiProperty({ description: 'The rule it broke, e.g. `isIn`.' }) rule!: string;
  @ApiProperty() message!: string;
}

/** Every refusal of this API has this body; `code` is a stable reason code. */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599 }) statusCode!: number;
  @ApiProperty({ description: 'Stable reason code, e.g. SCHEMA_INVALID, NO_AGREEMENT, RATE_LIMITED.' })
  code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'The field or agreement rule that caused the refusal.' }) rule?: string;
  @ApiPropertyOptional({ description: 'The agreement the decision was taken under.' }) agreementId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: '400: every invalid field by path.' })
  errors?: FieldErrorDto[];
}
