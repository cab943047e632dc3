import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../http/edge-fields';

/** A third party (a party id) or a further use (a code), as a consent request names it. */
export const RECIPIENT_OR_USE = /^[a-z][a-z0-9-]{1,63}$/;

/** `GET /v1/conversations/:id/evidence` query. */
export class EvidenceQueryDto {
  @ApiPropertyOptional({
    pattern: RECIPIENT_OR_USE.source,
    maxLength: 64,
    description:
      'The third party (party id, e.g. us-cbp) or further use (e.g. prosecution-evidence) the bundle is made for. Every message another party provided under an agreement that conditions further use on its consent then needs that provider’s granted consent for it (403 CONSENT_REQUIRED otherwise); the consents are listed in the manifest. Absent: for this administration’s own use.',
  })
  @Optional()
  @IsString()
  @MaxLength(64)
  @Matches(RECIPIENT_OR_USE, { message: 'for must be a party id or a use code like prosecution-evidence' })
  for?: string;
}
