import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AgreementsCatalog } from '@app/agreements';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import {
  type FieldError,
  flattenValidationErrors,
  resolveMessageType,
  validatePayload,
} from '@app/contracts';
import type { FlowEventsPublisher } from '@app/observability';
import { EDGE_VALIDATION } from '../http/edge-validation.pipe';
import { inspectJsonInput } from '../http/json-input.inspector';
import { ExchangeError } from '../shared/exchange.error';
import { excerpt } from '@app/api-edge';
import { CATALOG, FLOW_EVENTS } from '../shared/tokens';
import { SubmitMessageDto } from './submit-message.dto';

/**
 * Validates the whole submission in one pass — the request fields and, when the type is known, the
 * payload against that type's schema — so a 400 lists every invalid field by path at once. A refusal
 * here is a `submit` flow event like any other (its code and the first field's path, no values), so
 * ops staff see schema refusals beside the agreement ones.
 */
@Injectable()
export class SubmissionPipe implements PipeTransform<unknown, SubmitMessageDto> {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(FLOW_EVENTS) private readonly flow: FlowEventsPublisher,
  ) {}

  /** `POST /v1/messages`: the body was inspected as it was parsed (jsonInputGuard, before any route). */
  transform(body: unknown): SubmitMessageDto {
    return this.judge(body, false);
  }

  /** An item of `POST /v1/messages/batch`, which jsonInputGuard leaves to be inspected here, alone. */
  transformItem(item: unknown): SubmitMessageDto {
    return this.judge(item, true);
  }

  private judge(body: unknown, inspect: boolean): SubmitMessageDto {
    const started = Date.now();
    try {
      return this.validate(body, inspect);
    } catch (error) {
      if (error instanceof ExchangeError) this.emitRefusal(body, error, started);
      throw error;
    }
  }

  private emitRefusal(body: unknown, error: ExchangeError, started: number): void {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    // Only what is known to be safe metadata: a resolved type and a party of the catalog, never raw input.
    const type = typeof fields.type === 'string' ? resolveMessageType(fields.type) : undefined;
    const to = typeof fields.to === 'string' && this.catalog.parties.has(fields.to) ? fields.to : undefined;
    this.flow.emit({
      at: new Date().toISOString(),
      node: this.config.party,
      stage: 'submit',
      outcome: error.code,
      sender: this.config.party,
      type,
      recipient: to,
      rule: error.details.rule,
      durationMs: Date.now() - started,
    });
  }

  private validate(body: unknown, inspect: boolean): SubmitMessageDto {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw ExchangeError.invalid([
        { path: '', rule: 'isObject', message: 'the request body must be a JSON object' },
      ]);
    }
    if (inspect) {
      const unsafe = inspectJsonInput(body, this.config.http.maxJsonDepth);
      if (unsafe) throw ExchangeError.invalid([unsafe]);
    }
    // The payload is held to its own type's rules below; the request's rule for it is only @IsObject.
    // Transformed with the rest, it would be deep-copied (class-transformer copies every nested plain
    // object) only to be transformed again by validatePayload: it stays the parsed body's own object.
    const { payload, ...fields } = body as Record<string, unknown>;
    const dto = plainToInstance(SubmitMessageDto, fields);
    if ('payload' in body) dto.payload = payload as SubmitMessageDto['payload'];
    const errors: FieldError[] = flattenValidationErrors(validateSync(dto, EDGE_VALIDATION));
    const type = typeof dto.type === 'string' ? resolveMessageType(dto.type) : undefined;
    if (typeof dto.type === 'string' && !type) {
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${excerpt(dto.type)}"`, {
        rule: 'type',
      });
    }
    if (type && typeof dto.payload === 'object' && dto.payload !== null) {
      const result = validatePayload(type, dto.payload);
      if (!result.ok)
        errors.push(...result.errors.map((e) => ({ ...e, path: e.path ? `payload.${e.path}` : 'payload' })));
    }
    if (errors.length > 0) throw ExchangeError.invalid(errors);
    return dto;
  }
}
