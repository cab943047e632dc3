/** One invalid field, by path (`payload.subjects[0].goods[1].hsCode`), with the rule it broke. */
export interface FieldError {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}
