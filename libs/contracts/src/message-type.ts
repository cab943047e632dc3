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
  Receipt: 'puente.common.v1.Receipt',
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export type MessageFamily = 'customs-offense' | 'passenger-risk' | 'cooperation' | 'receipt';

export interface MessageTypeInfo {
  readonly type: MessageType;
  /** Short name used in the agreements file and logs, e.g. `AssistanceRequest`. */
  readonly name: keyof typeof MessageType;
  readonly family: MessageFamily;
  /** A reply must name the message it answers; its type must be one of `repliesTo`. */
  readonly repliesTo: readonly MessageType[];
  /** Payloads of this family carry personal data: JWE-encrypted to the recipient (design.md §3). */
  readonly personalData: boolean;
}

const info = (
  name: keyof typeof MessageType,
  family: MessageFamily,
  repliesTo: readonly MessageType[] = [],
): MessageTypeInfo => ({
  type: MessageType[name],
  name,
  family,
  repliesTo,
  personalData: family === 'passenger-risk',
});

export const MESSAGE_TYPES: Readonly<Record<MessageType, MessageTypeInfo>> = {
  [MessageType.AssistanceRequest]: info('AssistanceRequest', 'customs-offense'),
  [MessageType.AssistanceResponse]: info('AssistanceResponse', 'customs-offense', [
    MessageType.AssistanceRequest,
  ]),
  [MessageType.Refusal]: info('Refusal', 'customs-offense', [MessageType.AssistanceRequest]),
  [MessageType.SpontaneousInformation]: info('SpontaneousInformation', 'customs-offense'),
  [MessageType.CooperationNotice]: info('CooperationNotice', 'cooperation'),
  [MessageType.TravelerRiskQuery]: info('TravelerRiskQuery', 'passenger-risk'),
  [MessageType.RiskAssessment]: info('RiskAssessment', 'passenger-risk', [MessageType.TravelerRiskQuery]),
  [MessageType.Receipt]: info('Receipt', 'receipt'),
};

export function isMessageType(value: string): value is MessageType {
  return Object.prototype.hasOwnProperty.call(MESSAGE_TYPES, value);
}

/** Accepts the full type (`puente.customs_offense.v1.AssistanceRequest`) or the short name. */
export function resolveMessageType(value: string): MessageType | undefined {
  if (isMessageType(value)) return value;
  const byName = (MessageType as Record<string, MessageType | undefined>)[value];
  return byName;
}

export function messageTypeInfo(type: MessageType): MessageTypeInfo {
  return MESSAGE_TYPES[type];
}
