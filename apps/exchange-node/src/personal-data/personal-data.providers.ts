import type { Provider } from '@nestjs/common';
import { AccessLogHttpController } from './access-log.http.controller';
import { ClientScopes } from './client-scopes.registry';
import { MASKING_KEYS, MaskingKeys } from './masking.keys';
import { MaskingService } from './masking.service';
import { PersonalDataReads } from './personal-data.reads';
import { ReturningTravelerRecogniser } from './returning-traveler.recogniser';
import { UnmaskHttpController } from './unmask.http.controller';
import { UnmaskService } from './unmask.service';

export const personalDataControllers = [AccessLogHttpController, UnmaskHttpController];

/** Scopes, reads on record, masking and unmasking; the masking keys from the secret read at start-up. */
export function personalDataProviders(maskingSecret: Buffer | null): Provider[] {
  return [
    { provide: MASKING_KEYS, useValue: maskingSecret ? new MaskingKeys(maskingSecret) : null },
    ClientScopes,
    PersonalDataReads,
    MaskingService,
    ReturningTravelerRecogniser,
    UnmaskService,
  ];
}
