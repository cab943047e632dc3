import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsEmail, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PAYLOAD_CONTRACTS } from '@app/contracts';
import { NO_CONTROL_CHARACTERS } from '../http/edge-fields';
import { ValidationSchemas } from './validation.schema';

class LeafDto {
  @IsString() @MaxLength(5) name!: string;
}

class RootDto {
  @IsIn(['A', 'B']) kind!: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => LeafDto) leaves?: LeafDto[];
}

class UnknownRuleDto {
  // A rule the converter has no facet for must stop the document, not widen it.
  @IsEmail() contact!: string;
}

describe('ValidationSchemas', () => {
  it('reads a DTO’s class-validator rules as a closed schema, nested classes as components', () => {
    const schemas = new ValidationSchemas();
    expect(schemas.ref(RootDto)).toEqual({ $ref: '#/components/schemas/Root' });
    expect(schemas.components.Root).toEqual({
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['A', 'B'] },
        leaves: { type: 'array', items: { $ref: '#/components/schemas/Leaf' }, nullable: true },
      },
      required: ['kind'],
      additionalProperties: false,
    });
    expect(schemas.components.Leaf?.properties?.name).toEqual({
      type: 'string',
      maxLength: 5,
      pattern: NO_CONTROL_CHARACTERS,
    });
  });

  it('converts every payload contract, with code lists the validators accept', () => {
    const schemas = new ValidationSchemas();
    for (const contract of Object.values(PAYLOAD_CONTRACTS)) schemas.ref(contract.dto);
    const company = schemas.components.Company?.properties?.country as { enum: string[] };
    expect(company.enum).toEqual(expect.arrayContaining(['SV', 'US', 'MX']));
    expect(company.enum).not.toContain('XX');
    const goods = schemas.components.Goods?.properties;
    expect(goods?.hsCode).toEqual({ type: 'string', pattern: '^[0-9]{6}([0-9]{2}){0,2}$' });
    const traveler = schemas.components.Traveler?.properties;
    expect(traveler?.nationality).toMatchObject({
      enum: expect.arrayContaining(['USA', 'D', 'XXA']) as unknown,
    });
    expect(traveler?.dateOfBirth).toEqual({ type: 'string', format: 'date' });
  });

  it('fails on a rule it cannot state', () => {
    expect(() => new ValidationSchemas().ref(UnknownRuleDto)).toThrow(
      'no OpenAPI facet for the validation rule isEmail',
    );
  });
});
