import type { Agreement } from './agreement';

export type FieldCheck =
  | { readonly permitted: true }
  | {
      readonly permitted: false;
      readonly reason: 'FIELD_NOT_PERMITTED' | 'CONSENT_MISSING';
      readonly rule: string;
      readonly detail: string;
      readonly field: string;
    };

/** `travelers[17].document.number` → `travelers[].document.number`: the form the agreement lists. */
export function genericPath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/** Whether a generic path is allowed, kept per agreement (and its list): the same paths come with every message. */
const allowedPaths = new WeakMap<readonly string[], Map<string, boolean>>();

function allowedByPath(allowedFields: readonly string[]): Map<string, boolean> {
  let known = allowedPaths.get(allowedFields);
  if (!known) allowedPaths.set(allowedFields, (known = new Map<string, boolean>()));
  return known;
}

/**
 * Data minimisation: when an agreement lists the personal-data fields that may travel, any other field
 * present in the payload is refused, naming the first such field (a path, never its value).
 */
export function checkPersonalDataFields(agreement: Agreement, fieldPaths: readonly string[]): FieldCheck {
  const pd = agreement.personalData;
  if (!pd || 'none' in pd) return { permitted: true };
  const known = allowedByPath(pd.allowedFields);
  for (const field of fieldPaths) {
    const generic = genericPath(field);
    let allowed = known.get(generic);
    if (allowed === undefined) {
      allowed = pd.allowedFields.some(
        (a) => generic === a || generic.startsWith(`${a}.`) || generic.startsWith(`${a}[`),
      );
      // A payload's paths come from its schema, so few; the bound is for input that has none.
      if (known.size >= 4096) known.clear();
      known.set(generic, allowed);
    }
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

/**
 * What the agreement says about a payload's personal data, as one check for both nodes: only listed
 * fields (`checkPersonalDataFields`), and each item of the consent list only with its consent flag true.
 */
export function checkPersonalData(agreement: Agreement, payload: unknown): FieldCheck {
  const pd = agreement.personalData;
  // Without a list of allowed fields every field may travel: the payload's paths are not needed.
  if (pd && !('none' in pd)) {
    const fields = checkPersonalDataFields(agreement, presentFieldPaths(payload));
    if (!fields.permitted) return fields;
  }
  return checkConsent(agreement, payload);
}

/**
 * With `consentFields: [operators[].consent, operator.consent]`, every item of `operators`, and
 * `operator` when present, must carry `consent: true`; absent counts as no consent (proto3 JSON leaves
 * false out). Names the first item without it by its path, never by its data.
 */
export function checkConsent(agreement: Agreement, payload: unknown): FieldCheck {
  const pd = agreement.personalData;
  if (!pd || 'none' in pd || !pd.consentFields) return { permitted: true };
  const root = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  for (const consentField of pd.consentFields) {
    const [holder = '', flag = ''] = consentField.split('.');
    const isList = holder.endsWith('[]');
    const name = isList ? holder.slice(0, -2) : holder;
    const value = root[name];
    if (value === undefined || value === null) continue;
    const items = isList ? (Array.isArray(value) ? value : []) : [value];
    const index = items.findIndex((item) => (item as Record<string, unknown> | null)?.[flag] !== true);
    if (index === -1) continue;
    const path = isList ? `${name}[${index}]` : name;
    return {
      permitted: false,
      reason: 'CONSENT_MISSING',
      rule: `agreements[${agreement.id}].personalData.consentFields`,
      detail: `${path} has not consented to being shared under ${agreement.id}`,
      field: `${path}.${flag}`,
    };
  }
  return { permitted: true };
}

/** The leaf paths present in a JSON value: `{a: [{b: 1}]}` → `a[0].b`. */
export function presentFieldPaths(json: unknown, prefix = ''): string[] {
  const paths: string[] = [];
  collectFieldPaths(json, prefix, paths);
  return paths;
}

// One array for the whole walk: every message on both nodes goes through it.
function collectFieldPaths(json: unknown, prefix: string, paths: string[]): void {
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length; i++) collectFieldPaths(json[i], `${prefix}[${i}]`, paths);
  } else if (typeof json === 'object' && json !== null) {
    const record = json as Record<string, unknown>;
    for (const k of Object.keys(record)) collectFieldPaths(record[k], prefix ? `${prefix}.${k}` : k, paths);
  } else if (prefix) paths.push(prefix);
}
