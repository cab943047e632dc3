import { fromJson, type JsonObject, toBinary } from '@bufbuild/protobuf';
import { base64Encode } from '@bufbuild/protobuf/wire';
import { SpontaneousInformationSchema } from '../gen/puente/customs_offense/v1/messages_pb';
import { MessageType } from '../message-type';

/** The corrected version of the example spontaneous information: the example Correction carries it. */
const CORRECTED_SPONTANEOUS_INFORMATION: JsonObject = {
  caseReference: 'CBP-SI-2026-0091',
  offenseCategory: 'OFFENSE_CATEGORY_DUTY_EVASION',
  summary: 'Undervaluation of textile imports by a trader also active in El Salvador; two entries only.',
  subjects: { companies: [{ name: 'Textiles Ejemplo LLC', country: 'US' }] },
  reliability: 'RELIABILITY_CONFIRMED',
};

/**
 * One valid payload per message type (proto3 JSON), for tests and the demo. Names, numbers and
 * companies are fictitious. No field holds its zero value, so a payload survives a round trip
 * through protobuf unchanged.
 */
export const EXAMPLE_PAYLOADS: Readonly<Record<MessageType, JsonObject>> = {
  [MessageType.AssistanceRequest]: {
    caseReference: 'DGA-2026-00417',
    offenseCategory: 'OFFENSE_CATEGORY_NARCOTICS_TRAFFICKING',
    summary:
      'Declared shipment of frozen shrimp from Acajutla to Port Everglades; X-ray scan at the port of exit showed anomalous density in two pallets. Suspected concealment of narcotics.',
    subjects: {
      companies: [
        {
          name: 'Mariscos del Pacífico S.A. de C.V.',
          taxId: '0614-250518-101-3',
          country: 'SV',
          address: 'Km 82 Carretera Litoral, Acajutla',
        },
      ],
      goods: [
        {
          hsCode: '030617',
          description: 'Frozen shrimp, 20 pallets',
          quantity: '18400',
          unit: 'KGM',
          declaredValue: { amount: '96500.00', currency: 'USD' },
          originCountry: 'SV',
        },
      ],
      conveyances: [
        { kind: 'CONVEYANCE_KIND_VESSEL', identifier: 'IMO9811000', flagCountry: 'PA' },
        { kind: 'CONVEYANCE_KIND_CONTAINER', identifier: 'MSKU7041235' },
      ],
      declarations: [
        {
          number: 'EXP-4000-2026-118733',
          date: '2026-11-02',
          customsOffice: 'Aduana Marítima de Acajutla',
          declarant: 'Agencia Aduanal Costa Azul',
        },
      ],
    },
    informationRequested: [
      'Import declaration and entry documents at Port Everglades',
      'Results of any examination of the two pallets',
      'Consignee details and payment records',
    ],
    urgency: 'URGENCY_PRIORITY',
    replyBy: '2026-12-15',
  },
  [MessageType.AssistanceResponse]: {
    caseReference: 'DGA-2026-00417',
    summary: 'Entry located; the two pallets were examined on arrival.',
    findings: [
      'Examination found 212 kg of a controlled substance concealed in the shrimp cartons',
      'Consignee is a recently registered importer',
    ],
    documentsReferenced: ['CBP Form 7501 entry 231-4455667-8', 'Examination report PEV-2026-3391'],
    complete: true,
  },
  [MessageType.Refusal]: {
    caseReference: 'DGA-2026-00417',
    grounds: 'REFUSAL_GROUNDS_ONGOING_PROCEEDINGS',
    explanation:
      'The information requested is part of a judicial proceeding; it can be provided once the court allows.',
  },
  [MessageType.SpontaneousInformation]: {
    caseReference: 'CBP-SI-2026-0091',
    offenseCategory: 'OFFENSE_CATEGORY_DUTY_EVASION',
    summary: 'Systematic undervaluation of textile imports by a trader also active in El Salvador.',
    subjects: { companies: [{ name: 'Textiles Ejemplo LLC', country: 'US' }] },
    reliability: 'RELIABILITY_PROBABLE',
  },
  [MessageType.CooperationNotice]: {
    kind: 'NOTICE_KIND_JOINT_PRIORITY',
    title: 'Joint priority: precursor chemicals at Pacific ports',
    body: 'Both administrations will prioritise risk targeting of precursor chemical shipments through Pacific ports in the first quarter.',
    effectiveDate: '2027-01-01',
  },
  [MessageType.TravelerRiskQuery]: {
    flight: {
      carrier: 'AV',
      flightNumber: '560',
      origin: 'SAL',
      destination: 'IAD',
      scheduledDeparture: '2026-12-01T13:05:00Z',
      scheduledArrival: '2026-12-01T19:20:00Z',
    },
    travelers: [
      {
        travelerRef: 'P001',
        surname: 'Example',
        givenNames: 'Ana María',
        dateOfBirth: '1990-05-17',
        sex: 'SEX_F',
        nationality: 'SLV',
        document: {
          type: 'DOCUMENT_TYPE_PASSPORT',
          number: 'A12345678',
          issuingState: 'SLV',
          expiry: '2030-05-16',
        },
        role: 'TRAVELER_ROLE_PASSENGER',
      },
    ],
  },
  [MessageType.RiskAssessment]: {
    queryMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    results: [
      {
        travelerRef: 'P001',
        outcome: 'RISK_OUTCOME_NO_MATCH',
        score: 0.12,
        recommendedAction: 'RECOMMENDED_ACTION_NONE',
        reasonCodes: ['NAME_NO_CANDIDATE'],
        validUntil: '2026-12-02T00:00:00Z',
      },
    ],
  },
  [MessageType.AeoStatusSync]: {
    programme: 'SV-OEA',
    kind: 'SYNC_KIND_FULL',
    sequence: 1,
    asOf: '2026-11-30T06:00:00Z',
    operators: [
      {
        operatorId: 'SV-OEA-0001',
        name: 'Exportadora Ejemplo S.A. de C.V.',
        address: {
          street: 'Calle Ejemplo 12, Zona Franca',
          city: 'San Bartolo',
          postalCode: '1101',
          country: 'SV',
        },
        country: 'SV',
        status: 'AEO_STATUS_VALID',
        statusDate: '2025-03-01',
        validationDate: '2025-02-14',
        consent: true,
      },
    ],
    withdrawnOperatorIds: ['SV-OEA-0007'],
  },
  [MessageType.AeoStatusQuery]: { programme: 'SV-OEA', operatorId: 'SV-OEA-0001' },
  [MessageType.AeoStatusAnswer]: {
    queryMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    outcome: 'AEO_ANSWER_OUTCOME_FOUND',
    operator: {
      operatorId: 'SV-OEA-0001',
      name: 'Exportadora Ejemplo S.A. de C.V.',
      address: { street: 'Calle Ejemplo 12, Zona Franca', city: 'San Bartolo', country: 'SV' },
      country: 'SV',
      status: 'AEO_STATUS_VALID',
      statusDate: '2025-03-01',
      validationDate: '2025-02-14',
      consent: true,
    },
  },
  [MessageType.ConsentRequest]: {
    concernsMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    intendedRecipient: 'us-cbp',
    purpose: 'The answer shows duty evasion at a U.S. port: CBP needs it to assess the penalty.',
  },
  [MessageType.ConsentDecision]: {
    requestMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a12',
    concernsMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    outcome: 'CONSENT_OUTCOME_GRANTED',
    conditions: ['For the penalty case only', 'Not to be passed on further'],
  },
  [MessageType.Correction]: {
    concernsMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    replacedType: MessageType.SpontaneousInformation,
    replacement: base64Encode(
      toBinary(
        SpontaneousInformationSchema,
        fromJson(SpontaneousInformationSchema, CORRECTED_SPONTANEOUS_INFORMATION),
      ),
    ),
    reason: 'Only two of the entries were undervalued.',
  },
  [MessageType.Withdrawal]: {
    concernsMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    reason: 'The trader was cleared: the information must no longer be used.',
  },
  [MessageType.AmendmentConfirmation]: {
    amendmentMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a12',
    concernsMessageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    applied: 'AMENDMENT_APPLIED_WITHDRAWN',
  },
  [MessageType.Receipt]: {
    messageId: '01935a4e-7c2d-7b3a-9f10-2b6c1d9e0a11',
    outcome: 'RECEIPT_OUTCOME_ACCEPTED',
    digest: 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    receivedAt: '2026-11-24T10:00:00Z',
  },
};
