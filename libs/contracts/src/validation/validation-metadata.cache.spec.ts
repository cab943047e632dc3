import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { flattenValidationErrors } from './flatten-errors';
import { cacheValidationMetadata } from './validation-metadata.cache';

class Parcel {
  @IsString() @MaxLength(5) label!: string;
  @IsInt() count!: number;
}

const options = { whitelist: true, forbidNonWhitelisted: true };
const errorsOf = <T extends object>(dto: new () => T, plain: object) =>
  flattenValidationErrors(validateSync(plainToInstance(dto, plain), options));

describe('cacheValidationMetadata', () => {
  cacheValidationMetadata();

  it('validates exactly as before: the same field errors, every time', () => {
    const bad = { label: 'far too long', count: 1.5, extra: true };
    const first = errorsOf(Parcel, bad);
    expect(first.map((e) => `${e.path} ${e.rule}`).sort()).toEqual([
      'count isInt',
      'extra whitelistValidation',
      'label maxLength',
    ]);
    expect(errorsOf(Parcel, bad)).toEqual(first);
    expect(errorsOf(Parcel, { label: 'ok', count: 2 })).toEqual([]);
  });

  it('keeps one lookup per class and options, and forgets it when a rule is added', () => {
    const storage = getMetadataStorage();
    const once = storage.getTargetValidationMetadatas(Parcel, '', false, false);
    expect(storage.getTargetValidationMetadatas(Parcel, '', false, false)).toBe(once);
    expect(storage.getTargetValidationMetadatas(Parcel, '', false, false, ['g'])).not.toBe(once);

    // A class declared later (a mapped type, a lazily loaded module) adds rules at run time.
    class Later extends Parcel {
      @IsString() note!: string;
    }
    const after = storage.getTargetValidationMetadatas(Parcel, '', false, false);
    expect(after).not.toBe(once);
    expect(after).toEqual(once);
    expect(errorsOf(Later, { label: 'ok', count: 2 }).map((e) => `${e.path} ${e.rule}`)).toEqual([
      'note isString',
    ]);
  });

  it('is installed once however often it is called', () => {
    const storage = getMetadataStorage();
    const lookup = storage.getTargetValidationMetadatas;
    cacheValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });
});
