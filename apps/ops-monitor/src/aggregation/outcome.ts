import type { FlowEvent, FlowStage } from '@app/observability';

/** Outcomes that mean "this step went through" (the node's metrics use the same set); anything else is a reason code. */
const OK_OUTCOMES: ReadonlySet<string> = new Set(['OK', 'ACCEPTED', 'DUPLICATE']);

/** Receipts are protocol traffic: they settle a message rather than being one, so links and overdue ignore them. */
const RECEIPT_TYPE = 'puente.common.v1.Receipt';

export const STAGES: readonly FlowStage[] = [
  'submit',
  'publish',
  'receive',
  'settle',
  'expire',
  'dead-letter',
  'trust',
];

/** Pipeline order, used to order events of one message that carry the same timestamp. */
export const STAGE_RANK: Readonly<Record<FlowStage, number>> = {
  submit: 0,
  publish: 1,
  receive: 2,
  settle: 3,
  expire: 4,
  'dead-letter': 5,
  trust: 6,
};

export function isOkOutcome(outcome: string): boolean {
  return OK_OUTCOMES.has(outcome);
}

/**
 * A refusal is a step that did not go through, named by its reason code. A `publish` is never one:
 * its only other outcome (DEAD_LETTER) is the relay filing a record that a `dead-letter` event
 * already counted.
 */
export function isRefusal(e: FlowEvent): boolean {
  return e.stage !== 'publish' && !isOkOutcome(e.outcome);
}

export function isReceipt(e: FlowEvent): boolean {
  return e.type === RECEIPT_TYPE;
}
