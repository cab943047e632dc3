import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional, PARTY_ID, PARTY_ID_MAX } from '../http/edge-fields';

export const AEO_LIST_LIMIT_MAX = 500;
const OPERATOR_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
/** `provider:programme:operatorId` of the last row of the previous page. */
const CURSOR = /^[a-z]{2}-[a-z0-9]{1,30}:[A-Za-z0-9][A-Za-z0-9._-]{0,31}:[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const STATUSES = ['AEO_STATUS_VALID', 'AEO_STATUS_SUSPENDED', 'AEO_STATUS_REVOKED'];

/** `GET /v1/aeo/operators` query: every filter optional. */
export class AeoOperatorsQueryDto {
  @ApiPropertyOptional({
    pattern: PARTY_ID.source,
    maxLength: PARTY_ID_MAX,
    description: 'Partner party id.',
  })
  @Optional()
  @IsString()
  @MaxLength(PARTY_ID_MAX)
  @Matches(PARTY_ID, { message: 'provider must be a party id like sv-dga' })
  provider?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @Optional()
  @IsIn(STATUSES)
  status?: string;

  @ApiPropertyOptional({
    pattern: CURSOR.source,
    maxLength: 130,
    description: 'The `next` of the previous page.',
  })
  @Optional()
  @IsString()
  @MaxLength(130)
  @Matches(CURSOR, { message: 'after must be the next cursor of a previous page' })
  after?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: AEO_LIST_LIMIT_MAX, default: 100 })
  @Optional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(AEO_LIST_LIMIT_MAX)
  limit?: number;
}

export class AeoOperatorIdParamDto {
  @ApiProperty({ pattern: OPERATOR_ID.source, maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @Matches(OPERATOR_ID, { message: 'id must be an operator id' })
  id!: string;
}

export class AeoAddressView {
  @ApiProperty() street!: string;
  @ApiProperty() city!: string;
  @ApiPropertyOptional() postalCode?: string;
  @ApiProperty() country!: string;
}

/** An operator of a partner's programme as this node last received it. */
export class AeoOperatorView {
  @ApiProperty({ description: 'The partner administration whose programme certified the operator.' })
  provider!: string;
  @ApiProperty() programme!: string;
  @ApiProperty() operatorId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: AeoAddressView }) address!: AeoAddressView;
  @ApiProperty() country!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ format: 'date' }) statusDate!: string;
  @ApiProperty({ format: 'date' }) validationDate!: string;
  @ApiProperty({ description: 'The sync that last changed this row.' }) syncSequence!: number;
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AeoOperatorsPageView {
  @ApiProperty({ type: [AeoOperatorView] }) operators!: AeoOperatorView[];
  @ApiPropertyOptional({ description: 'Pass as `after` for the next page; absent on the last page.' })
  next?: string;
}

export class AeoHistoryView {
  @ApiProperty() provider!: string;
  @ApiProperty() programme!: string;
  @ApiProperty({ enum: [...STATUSES, 'WITHDRAWN'] }) status!: string;
  @ApiPropertyOptional({ format: 'date' }) statusDate?: string;
  @ApiPropertyOptional({ format: 'date' }) validationDate?: string;
  @ApiProperty() syncSequence!: number;
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}

export class AeoOperatorDetailView {
  @ApiProperty() operatorId!: string;
  @ApiProperty({
    type: [AeoOperatorView],
    description: 'Its latest status in each partner programme listing it.',
  })
  current!: AeoOperatorView[];
  @ApiProperty({ type: [AeoHistoryView], description: 'Every change as received, oldest first.' })
  history!: AeoHistoryView[];
}

export class AeoPartnerSyncView {
  @ApiProperty() partner!: string;
  @ApiProperty() agreement!: string;
  @ApiProperty() programme!: string;
  @ApiProperty({ enum: ['FULL', 'DELTA', 'none'] }) kind!: string;
  @ApiProperty() operatorsSent!: number;
  @ApiProperty() withdrawn!: number;
  @ApiProperty({ description: 'Operators of the programme not sent: they have not consented.' })
  withoutConsent!: number;
  @ApiProperty({ type: [String] }) messageIds!: string[];
  @ApiPropertyOptional({ description: 'The refusal that stopped the sync to this partner, with its rule.' })
  refused?: string;
}

export class AeoSyncView {
  @ApiProperty({ type: [AeoPartnerSyncView] }) partners!: AeoPartnerSyncView[];
}
