import type { MessageType, PartyId } from '@app/contracts';

export interface PartyDefinition {
  readonly id: PartyId;
  readonly name: string;
  readonly country: string;
}

export interface AgreementChannel {
  readonly from: readonly PartyId[];
  readonly to: readonly PartyId[];
  readonly types: readonly MessageType[];
}

export type OnwardTransfer = 'provider-consent-required' | 'prohibited';

export interface Agreement {
  readonly id: string;
  readonly title: string;
  readonly kind: 'treaty' | 'agreement' | 'mou' | 'mutual-recognition';
  readonly parties: readonly { readonly party: PartyId; readonly role: string }[];
  /** Dates at UTC midnight. */
  readonly signedOn: Date;
  readonly inForceFrom?: Date;
  readonly suspendedFrom?: Date;
  readonly terminatedFrom?: Date;
  readonly channels: readonly AgreementChannel[];
  readonly purposes: readonly string[];
  /**
   * `undefined`: not restricted by field; `{ none: true }`: no personal data may travel;
   * `{ allowedFields }`: only these paths (`travelers[].surname`), a parent path allowing its children.
   * Which fields may travel (`checkPersonalDataFields`); whether the payload is encrypted is a separate
   * decision (`payloadEncryptionFor`), in which only `{ none: true }` can leave a payload unencrypted.
   * `consentFields` (`operators[].consent`, `operator.consent`): each such item travels only with its
   * flag true; one without it is refused (CONSENT_MISSING) on both nodes, naming its path, never its data.
   * `readableBy`: the API roles that may read these fields at a node (absent: every role that reads
   * messages); other clients get the message's metadata only. `maskFields`: the fields replaced by
   * keyed digests once `maskAfterDays` have passed (names, dates of birth, document numbers).
   */
  readonly personalData?: { readonly none: true } | PersonalDataFields;
  readonly retentionDays?: number;
  /** Days after which the `maskFields` are replaced by keyed digests; before `retentionDays` removes the payload. */
  readonly maskAfterDays?: number;
  readonly onwardTransfer: OnwardTransfer;
  /**
   * Whether a recipient keeps the superseded payload when the provider corrects a message (false: the
   * correction replaces it and the old version is gone). A withdrawal never keeps the payload.
   */
  readonly keepSuperseded?: boolean;
}

export interface PersonalDataFields {
  readonly allowedFields: readonly string[];
  readonly consentFields?: readonly string[];
  readonly readableBy?: readonly string[];
  readonly maskFields?: readonly string[];
}

export interface AgreementsCatalog {
  readonly parties: ReadonlyMap<PartyId, PartyDefinition>;
  readonly agreements: readonly Agreement[];
}
