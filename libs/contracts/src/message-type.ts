/**
 * The catalogue of message types that travel between nodes. The type string is the fully
 * qualified protobuf message name, so the wire, the REST API and the agreements file all use
 * one spelling.
 */
export const MessageType = {
  AssistanceRequest: 'puente.customs_offense.v1.AssistanceRequest',
  AssistanceResponse: 'puente.customs_offense.v1.AssistanceResponse',
  Refusal: 'puente.customs_offense.v1.Refusal',
  SpontaneousInformation: 'puente.customs_offense.v1.SpontaneousInformation',
  CooperationNotice: 'puente.cooperation.v1.CooperationNotice',
  TravelerRiskQuery: 'puente.passenger_risk.v1.TravelerRiskQuery',
  RiskAssessment: 'puente.passenger_risk.v1.RiskAssessment',
  AeoStatusSync: 'puente.aeo.v1.AeoStatusSync',
  AeoStatusQuery: 'puente.aeo.v1.AeoStatusQuery',
  AeoStatusAnswer: 'puente.aeo.v1.AeoStatusAnswer',
  ConsentRequest: 'puente.consent.v1.ConsentRequest',
  ConsentDecision: 'puente.consent.v1.ConsentDecision',
  Correction: 'puente.amendment.v1.Correction',
  Withdrawal: 'puente.amendment.v1.Withdrawal',
  AmendmentConfirmation: 'puente.amendment.v1.AmendmentConfirmation',
  Receipt: 'puente.common.v1.Receipt',
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export type MessageFamily =
  'customs-offense' | 'passenger-risk' | 'cooperation' | 'aeo' | 'consent' | 'amendment' | 'receipt';

export interface MessageTypeInfo {
  readonly type: MessageType;
  /** Short name used in the agreements file and logs, e.g. `AssistanceRequest`. */
  readonly name: keyof typeof MessageType;
  readonly family: MessageFamily;
  /** A reply must name the message it answers; its type must be one of `repliesTo`. */
  readonly repliesTo: readonly MessageType[];
  /**
   * The payload has free-text fields written by people (summaries, findings, explanations, a notice's
   * title and body). No schema can keep personal data or case details out of free text, so a type with
   * free text is encrypted to its recipient whatever the agreement says about personal data; see
   * `payloadEncryptionFor` in @app/agreements. Receipts count as without: their `detail` is written by
   * the node from fixed wording, never from payload values.
   */
  readonly freeText: boolean;
}

const info = (
  name: keyof typeof MessageType,
  family: MessageFamily,
  freeText: boolean,
  repliesTo: readonly MessageType[] = [],
): MessageTypeInfo => ({ type: MessageType[name], name, family, repliesTo, freeText });

export const MESSAGE_TYPES: Readonly<Record<MessageType, MessageTypeInfo>> = {
  [MessageType.AssistanceRequest]: info('AssistanceRequest', 'customs-offense', true),
  [MessageType.AssistanceResponse]: info('AssistanceResponse', 'customs-offense', true, [
    MessageType.AssistanceRequest,
  ]),
  [MessageType.Refusal]: info('Refusal', 'customs-offense', true, [MessageType.AssistanceRequest]),
  [MessageType.SpontaneousInformation]: info('SpontaneousInformation', 'customs-offense', true),
  [MessageType.CooperationNotice]: info('CooperationNotice', 'cooperation', true),
  // Structured travel data only: its personal data is what the agreement's field list governs.
  [MessageType.TravelerRiskQuery]: info('TravelerRiskQuery', 'passenger-risk', false),
  [MessageType.RiskAssessment]: info('RiskAssessment', 'passenger-risk', false, [
    MessageType.TravelerRiskQuery,
  ]),
  // Structured operator data only (names and addresses of certified companies): the agreement's field
  // list and consent rule govern it, and it is encrypted unless the agreement says it holds none.
  [MessageType.AeoStatusSync]: info('AeoStatusSync', 'aeo', false),
  [MessageType.AeoStatusQuery]: info('AeoStatusQuery', 'aeo', false),
  [MessageType.AeoStatusAnswer]: info('AeoStatusAnswer', 'aeo', false, [MessageType.AeoStatusQuery]),
  // About an earlier message of the same agreement: its purpose, conditions, reasons and a correction's
  // replacement are written by people, so these travel encrypted as the messages they concern do.
  [MessageType.ConsentRequest]: info('ConsentRequest', 'consent', true),
  [MessageType.ConsentDecision]: info('ConsentDecision', 'consent', true, [MessageType.ConsentRequest]),
  [MessageType.Correction]: info('Correction', 'amendment', true),
  [MessageType.Withdrawal]: info('Withdrawal', 'amendment', true),
  // Ids and an outcome only: no free text.
  [MessageType.AmendmentConfirmation]: info('AmendmentConfirmation', 'amendment', false, [
    MessageType.Correction,
    MessageType.Withdrawal,
  ]),
  [MessageType.Receipt]: info('Receipt', 'receipt', false),
};

export function isMessageType(value: string): value is MessageType {
  return Object.prototype.hasOwnProperty.call(MESSAGE_TYPES, value);
}

/**
 * Accepts the full type (`puente.customs_offense.v1.AssistanceRequest`) or the short name. Looks at
 * the catalogue's own names only: `constructor` or `toString` are Object built-ins, not types.
 */
export function resolveMessageType(value: string): MessageType | undefined {
  if (isMessageType(value)) return value;
  return Object.prototype.hasOwnProperty.call(MessageType, value)
    ? MessageType[value as keyof typeof MessageType]
    : undefined;
}

export function messageTypeInfo(type: MessageType): MessageTypeInfo {
  return MESSAGE_TYPES[type];
}
