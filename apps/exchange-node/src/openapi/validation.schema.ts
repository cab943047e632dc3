import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import { NO_CONTROL_CHARACTERS } from '../http/edge-fields';

type Dto = new () => object;
type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/**
 * OpenAPI schemas read from the class-validator rules of DTO classes — the rules the node validates
 * with — so the API document cannot say something the validation does not do. Nested classes become
 * named components (`PersonDto` → `Person`). A rule this converter does not know fails loudly: a
 * schema that silently allowed more than validation would make generated clients send refused requests.
 */
export class ValidationSchemas {
  readonly components: Record<string, SchemaObject> = {};
  private readonly names = new Map<Dto, string>();

  /** A `$ref` to `dto`'s schema, converting it (and what it nests) on first use. */
  ref(dto: Dto): { $ref: string } {
    return { $ref: `#/components/schemas/${this.nameOf(dto)}` };
  }

  /** `dto`'s schema itself, not registered as a component. */
  componentOf(dto: Dto): SchemaObject {
    return this.convert(dto);
  }

  private nameOf(dto: Dto): string {
    const known = this.names.get(dto);
    if (known) return known;
    const name = dto.name.replace(/Dto$/, '');
    this.names.set(dto, name);
    this.components[name] = this.convert(dto);
    return name;
  }

  private convert(dto: Dto): SchemaObject {
    const byProperty = new Map<string, Metadata[]>();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
      byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
    }
    const properties: Record<string, SchemaObject | ReferenceObject> = {};
    const required: string[] = [];
    for (const [property, rules] of byProperty) {
      // @IsOptional: absent or null (proto3 JSON reads null as the field's default); the edge's own
      // optional fields (@ValidateIf(value !== undefined), see edge-fields.ts) may only be absent.
      const nullable = rules.some((r) => r.name === 'isOptional');
      if (!rules.some((r) => r.type === 'conditionalValidation')) required.push(property);
      const schema = this.property(dto, property, rules);
      properties[property] = !nullable
        ? schema
        : '$ref' in schema
          ? { allOf: [schema], nullable: true }
          : { ...schema, nullable: true };
    }
    return {
      type: 'object',
      properties,
      ...(required.length > 0 && { required }),
      // Validation refuses fields it does not know (forbidNonWhitelisted).
      additionalProperties: false,
    };
  }

  private property(dto: Dto, property: string, rules: readonly Metadata[]): SchemaObject | ReferenceObject {
    const isArray = rules.some((r) => r.name === 'isArray');
    const nested = rules.some((r) => r.type === 'nestedValidation');
    let item: SchemaObject = {};
    const outer: SchemaObject = isArray ? { type: 'array' } : {};
    for (const rule of rules) {
      if (rule.type !== 'customValidation') continue;
      const facet = facetOf(rule);
      if (isArray && (!rule.each || rule.name === 'isArray')) Object.assign(outer, facet);
      else item = { ...item, ...facet };
    }
    // A nested object is its class's schema; its own rules are all in there.
    const items = nested ? this.ref(nestedClass(dto, property, isArray)) : withoutControls(item);
    return isArray ? { ...outer, items } : items;
  }
}

function withoutControls(schema: SchemaObject): SchemaObject {
  const free = schema.type === 'string' && !schema.pattern && !schema.enum && !schema.format;
  return free ? { ...schema, pattern: NO_CONTROL_CHARACTERS } : schema;
}

/** The class class-transformer builds for a nested property (its `@Type`). */
function nestedClass(dto: Dto, property: string, isArray: boolean): Dto {
  const built = plainToInstance(dto, { [property]: isArray ? [{}] : {} }) as Record<string, unknown>;
  const value = isArray ? (built[property] as unknown[])[0] : built[property];
  const type = (value as object | undefined)?.constructor;
  if (!type || type === Object) throw new Error(`${dto.name}.${property}: nested without @Type`);
  return type as Dto;
}

/** The JSON Schema facet of one class-validator rule. */
function facetOf(rule: Metadata): SchemaObject {
  const c = rule.constraints as unknown[];
  switch (rule.name) {
    case 'isArray':
      return { type: 'array' };
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isObject':
      return { type: 'object' };
    case 'isNumber':
      return { type: 'number' };
    case 'isInt':
      return { type: 'integer' };
    case 'isNotEmpty':
      return { type: 'string', minLength: 1 };
    case 'maxLength':
      return { type: 'string', maxLength: c[0] as number };
    case 'minLength':
      return { type: 'string', minLength: c[0] as number };
    case 'min':
      return { minimum: c[0] as number };
    case 'max':
      return { maximum: c[0] as number };
    case 'arrayMaxSize':
      return { maxItems: c[0] as number };
    case 'arrayMinSize':
      return { minItems: c[0] as number };
    case 'isIn':
      return { type: 'string', enum: [...(c[0] as string[])] };
    case 'matches':
      return { type: 'string', pattern: ecmaPattern(c[0] as RegExp | string) };
    case 'isUuid':
      return { type: 'string', format: 'uuid' };
    case 'isBase64':
      return { type: 'string', format: 'byte' };
    case 'isRFC3339':
      return { type: 'string', format: 'date-time' };
    case 'isCalendarDate':
      return { type: 'string', format: 'date' };
    case 'isDecimalString':
      return { type: 'string', pattern: '^[0-9]{1,15}(\\.[0-9]{1,4})?$' };
    // Code lists: every code the validator itself accepts, found by asking it.
    case 'isISO31661Alpha2':
      return { type: 'string', enum: accepted(rule, codes(2, 2)) };
    case 'isISO4217CurrencyCode':
      return { type: 'string', enum: accepted(rule, codes(3, 3)) };
    case 'isIcaoStateCode':
      return { type: 'string', enum: accepted(rule, codes(1, 3)) };
    case undefined:
    default:
      throw new Error(`no OpenAPI facet for the validation rule ${rule.name ?? rule.type}`);
  }
}

/**
 * The pattern as the document states it. `\d` is ASCII digits in JavaScript but any Unicode digit in
 * other engines: spelled out. `\p{M}` (any combining mark): schema tools without Unicode properties
 * approximate it with whole blocks, unassigned code points included, which the node refuses; the
 * document names the combining diacritical marks instead, a subset the node accepts, so a client
 * following the document is never refused for it.
 */
function ecmaPattern(pattern: RegExp | string): string {
  const source = (typeof pattern === 'string' ? pattern : pattern.source).replaceAll(
    '\\p{M}',
    '\\u0300-\\u036F',
  );
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1];
      out += next === 'd' ? (inClass ? '0-9' : '[0-9]') : `${ch}${next ?? ''}`;
      i++;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch;
  }
  return out;
}

/** Every string of `min` to `max` capital letters. */
function codes(min: number, max: number): string[] {
  let level = [''];
  const out: string[] = [];
  for (let length = 1; length <= max; length++) {
    level = level.flatMap((prefix) => [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((l) => prefix + l));
    if (length >= min) out.push(...level);
  }
  return out;
}

function accepted(rule: Metadata, candidates: readonly string[]): string[] {
  const constraint = new (
    rule.constraintCls as new () => {
      validate(value: unknown, args: ValidationArguments): boolean | Promise<boolean>;
    }
  )();
  const args = { constraints: rule.constraints } as ValidationArguments;
  return candidates.filter((v) => constraint.validate(v, args) === true);
}
