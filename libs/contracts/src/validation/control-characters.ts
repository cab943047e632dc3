import type { FieldError } from '../field-error';

/**
 * C0 and C1 control characters and DEL, except tab, newline and carriage return: never meaningful in
 * an exchanged text, and NUL cannot even be stored in PostgreSQL text.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
export const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Every string in `json` (values and keys, at any depth) holding a forbidden control character, by path. */
export function controlCharacterErrors(json: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 64) return; // deeper than any payload schema; the schema refuses it anyway
    if (typeof value === 'string') {
      if (FORBIDDEN_CONTROL.test(value))
        errors.push({
          path,
          rule: 'noControlCharacters',
          message: `${path || '(payload)'} must not contain control characters other than tab, newline and CR`,
        });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`, depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const safeKey = FORBIDDEN_CONTROL.test(k) ? '?' : k.slice(0, 64);
        if (safeKey === '?')
          errors.push({
            path: path ? `${path}.?` : '?',
            rule: 'noControlCharacters',
            message: 'a field name must not contain control characters',
          });
        visit(v, path ? `${path}.${safeKey}` : safeKey, depth + 1);
      }
    }
  };
  visit(json, prefix, 0);
  return errors;
}

/** Text made safe to copy into a bounded field: controls but tab/newline/CR replaced, cut to `max` characters. */
export function boundedText(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '?');
  if (clean.length <= max) return clean;
  // Cut on a code point boundary so a surrogate pair is never split, and say it was cut.
  const cut = Array.from(clean.slice(0, max - 1)).join('');
  const safe = /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  return `${safe}…`;
}
