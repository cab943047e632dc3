import { Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { type FieldError, resolveMessageType, validatePayload } from '@app/contracts';
import { ExchangeError } from '../shared/exchange.error';
import { SubmitMessageDto } from './submit-message.dto';

/**
 * Validates the whole submission in one pass — the request fields and, when the type is known, the
 * payload against that type's schema — so a 400 lists every invalid field by path at once.
 */
@Injectable()
export class SubmissionPipe implements PipeTransform<unknown, SubmitMessageDto> {
  transform(body: unknown): SubmitMessageDto {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw ExchangeError.invalid([
        { path: '', rule: 'isObject', message: 'the request body must be a JSON object' },
      ]);
    }
    const dto = plainToInstance(SubmitMessageDto, body);
    const errors: FieldError[] = flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
    const type = typeof dto.type === 'string' ? resolveMessageType(dto.type) : undefined;
    if (typeof dto.type === 'string' && !type) {
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${dto.type}"`, {
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

function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({ path, rule, message }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
