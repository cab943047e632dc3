// class-transformer's @Type reads decorator metadata: the contracts load it themselves, wherever they are used.
import 'reflect-metadata';
import type { DescMessage } from '@bufbuild/protobuf';
import {
  AeoStatusAnswerSchema,
  AeoStatusQuerySchema,
  AeoStatusSyncSchema,
} from '../gen/puente/aeo/v1/messages_pb';
import {
  AmendmentConfirmationSchema,
  CorrectionSchema,
  WithdrawalSchema,
} from '../gen/puente/amendment/v1/messages_pb';
import { ReceiptSchema } from '../gen/puente/common/v1/envelope_pb';
import { ConsentDecisionSchema, ConsentRequestSchema } from '../gen/puente/consent/v1/messages_pb';
import { CooperationNoticeSchema } from '../gen/puente/cooperation/v1/notice_pb';
import {
  AssistanceRequestSchema,
  AssistanceResponseSchema,
  RefusalSchema,
  SpontaneousInformationSchema,
} from '../gen/puente/customs_offense/v1/messages_pb';
import { RiskAssessmentSchema, TravelerRiskQuerySchema } from '../gen/puente/passenger_risk/v1/messages_pb';
import { MessageType } from '../message-type';
import { AeoStatusAnswerDto, AeoStatusQueryDto, AeoStatusSyncDto } from './aeo.dto';
import { AmendmentConfirmationDto, CorrectionDto, WithdrawalDto } from './amendment.dto';
import { ConsentDecisionDto, ConsentRequestDto } from './consent.dto';
import { CooperationNoticeDto } from './cooperation.dto';
import {
  AssistanceRequestDto,
  AssistanceResponseDto,
  RefusalDto,
  SpontaneousInformationDto,
} from './customs-offense.dto';
import { RiskAssessmentDto, TravelerRiskQueryDto } from './passenger-risk.dto';
import { ReceiptDto } from './receipt.dto';

export interface PayloadContract {
  /** The generated protobuf descriptor: the wire format. */
  readonly schema: DescMessage;
  /** The class-validator rules: the same on the REST edge, on encode and on decode. */
  readonly dto: new () => object;
}

/** One entry per message type; a type missing here fails to compile. */
export const PAYLOAD_CONTRACTS: Readonly<Record<MessageType, PayloadContract>> = {
  [MessageType.AssistanceRequest]: { schema: AssistanceRequestSchema, dto: AssistanceRequestDto },
  [MessageType.AssistanceResponse]: { schema: AssistanceResponseSchema, dto: AssistanceResponseDto },
  [MessageType.Refusal]: { schema: RefusalSchema, dto: RefusalDto },
  [MessageType.SpontaneousInformation]: {
    schema: SpontaneousInformationSchema,
    dto: SpontaneousInformationDto,
  },
  [MessageType.CooperationNotice]: { schema: CooperationNoticeSchema, dto: CooperationNoticeDto },
  [MessageType.TravelerRiskQuery]: { schema: TravelerRiskQuerySchema, dto: TravelerRiskQueryDto },
  [MessageType.RiskAssessment]: { schema: RiskAssessmentSchema, dto: RiskAssessmentDto },
  [MessageType.AeoStatusSync]: { schema: AeoStatusSyncSchema, dto: AeoStatusSyncDto },
  [MessageType.AeoStatusQuery]: { schema: AeoStatusQuerySchema, dto: AeoStatusQueryDto },
  [MessageType.AeoStatusAnswer]: { schema: AeoStatusAnswerSchema, dto: AeoStatusAnswerDto },
  [MessageType.ConsentRequest]: { schema: ConsentRequestSchema, dto: ConsentRequestDto },
  [MessageType.ConsentDecision]: { schema: ConsentDecisionSchema, dto: ConsentDecisionDto },
  [MessageType.Correction]: { schema: CorrectionSchema, dto: CorrectionDto },
  [MessageType.Withdrawal]: { schema: WithdrawalSchema, dto: WithdrawalDto },
  [MessageType.AmendmentConfirmation]: { schema: AmendmentConfirmationSchema, dto: AmendmentConfirmationDto },
  [MessageType.Receipt]: { schema: ReceiptSchema, dto: ReceiptDto },
};
