import type { ValidationError } from 'class-validator';
import type { FieldError } from '../field-error';

/** class-validator's error tree as flat field errors with `a.b[3].c` paths; messages name rules, never values. */
export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property)
      ? `${prefix}[${e.property}]`
      : prefix
        ? `${prefix}.${e.property}`
        : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      path,
      rule,
      // class-validator words messages with the property name; keep that, drop any echoed value.
      message:
        rule === 'whitelistValidation'
          ? `${path} is not a field of this message`
          : message.replace(/^\d+\./, ''),
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], path)];
  });
}
