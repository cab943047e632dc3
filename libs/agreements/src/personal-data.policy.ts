import type { Agreement } from './agreement';

export type FieldCheck =
  | { readonly permitted: true }
  | {
      readonly permitted: false;
      readonly reason: 'FIELD_NOT_PERMITTED';
      readonly rule: string;
      readonly detail: string;
      readonly field: string;
    };

/** `travelers[17].document.number` → `travelers[].document.number`: the form the agreement lists. */
export function genericPath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/**
 * Data minimisation: when an agreement lists the personal-data fields that may travel, any other field
 * present in the payload is refused, naming the first such field (a path, never its value).
 */
export function checkPersonalDataFields(agreement: Agreement, fieldPaths: readonly string[]): FieldCheck {
  const pd = agreement.personalData;
  if (!pd || 'none' in pd) return { permitted: true };
  for (const field of fieldPaths) {
    const generic = genericPath(field);
    const allowed = pd.allowedFields.some(
      (a) => generic === a || generic.startsWith(`${a}.`) || generic.startsWith(`${a}[`),
    );
    if (!allowed) {
      return {
        permitted: false,
        reason: 'FIELD_NOT_PERMITTED',
        rule: `agreements[${agreement.id}].personalData.allowedFields`,
        detail: `${generic} may not travel under ${agreement.id}`,
        field,
      };
    }
  }
  return { permitted: true };
}

/** The leaf paths present in a JSON value: `{a: [{b: 1}]}` → `a[0].b`. */
export function presentFieldPaths(json: unknown, prefix = ''): string[] {
  if (Array.isArray(json)) return json.flatMap((v, i) => presentFieldPaths(v, `${prefix}[${i}]`));
  if (typeof json === 'object' && json !== null) {
    return Object.entries(json).flatMap(([k, v]) => presentFieldPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return prefix ? [prefix] : [];
}
