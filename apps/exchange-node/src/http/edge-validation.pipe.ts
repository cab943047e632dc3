import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@app/contracts';
import { ExchangeError } from '../shared/exchange.error';

/** The rules every DTO at the REST edge is held to: unknown fields refused, strings and numbers as declared. */
export const EDGE_VALIDATION = { whitelist: true, forbidNonWhitelisted: true } as const;

/**
 * The one validation pipe of the REST edge, for every body, query and path parameter typed with a
 * DTO class: builds the instance (query strings become numbers where the DTO says so), validates it
 * with EDGE_VALIDATION and refuses with one 400 listing every bad field by path.
 */
@Injectable()
export class EdgeValidationPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype, type } = metadata;
    if (type === 'custom' || !metatype || PLAIN.has(metatype)) return value;
    return validateDto(metatype as new () => object, value);
  }
}

const PLAIN: ReadonlySet<unknown> = new Set([String, Boolean, Number, Array, Object]);

/** `value` as an instance of `dto`, or a 400 SCHEMA_INVALID naming every invalid field. */
export function validateDto<T extends object>(dto: new () => T, value: unknown): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ExchangeError.invalid([{ path: '', rule: 'isObject', message: 'expected a JSON object' }]);
  const instance = plainToInstance(dto, value);
  const errors = flattenValidationErrors(validateSync(instance, EDGE_VALIDATION));
  if (errors.length > 0) throw ExchangeError.invalid(errors);
  return instance;
}
