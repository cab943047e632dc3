import { readFileSync } from 'node:fs';
import { MESSAGE_TYPES, MessageType, PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import type {
  Agreement,
  AgreementChannel,
  AgreementsCatalog,
  OnwardTransfer,
  PartyDefinition,
} from './agreement';
import { AgreementsFileError } from './agreements-file.error';
import { type Path, YamlSource } from './yaml-source';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const SHORT_TYPES = new Map(
  Object.values(MESSAGE_TYPES)
    .filter((t) => t.type !== MessageType.Receipt)
    .map((t) => [t.name as string, t.type]),
);
const KINDS = ['treaty', 'agreement', 'mou', 'mutual-recognition'] as const;
const ONWARD: readonly OnwardTransfer[] = ['provider-consent-required', 'prohibited'];
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Reads and validates both files; throws AgreementsFileError listing every problem with file:line:col. */
export function loadCatalog(partiesFile: string, agreementsFile: string): AgreementsCatalog {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (error) {
      throw new AgreementsFileError([
        `${f}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      ]);
    }
  };
  return parseCatalog(read(partiesFile), read(agreementsFile), {
    parties: partiesFile,
    agreements: agreementsFile,
  });
}

export function parseCatalog(
  partiesYaml: string,
  agreementsYaml: string,
  sources = { parties: 'parties.yaml', agreements: 'agreements.yaml' },
): AgreementsCatalog {
  const p = new YamlSource(partiesYaml, sources.parties);
  const a = new YamlSource(agreementsYaml, sources.agreements);
  const parties = readParties(p);
  const agreements = readAgreements(a, parties);
  const problems = [...p.problems, ...a.problems];
  if (problems.length > 0) throw new AgreementsFileError(problems);
  return { parties, agreements };
}

/** Field readers that report a problem at the field's position and return undefined. */
class Fields {
  constructor(
    private readonly src: YamlSource,
    private readonly obj: Obj,
    private readonly at: Path,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(obj))
      if (!allowed.includes(key)) src.report([...at, key], `unknown field (allowed: ${allowed.join(', ')})`);
  }

  string(key: string, pattern?: RegExp, optional = false): string | undefined {
    const v = this.obj[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '') return this.fail(key, 'must be a non-empty text');
    if (pattern && !pattern.test(v)) return this.fail(key, `"${v}" does not match ${pattern.source}`);
    return v;
  }

  date(key: string, optional = false): Date | undefined {
    let v = this.obj[key];
    if (v === undefined && optional) return undefined;
    if (v instanceof Date) v = v.toISOString().slice(0, 10); // YAML may already have parsed it
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v))
      return this.fail(key, 'must be a date YYYY-MM-DD');
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
      return this.fail(key, `${v} is not a calendar date`);
    return d;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const v = this.obj[key];
    return values.includes(v as T) ? (v as T) : this.fail(key, `must be one of ${values.join(', ')}`);
  }

  list(key: string, optional = false): unknown[] | undefined {
    const v = this.obj[key];
    if (v === undefined && optional) return undefined;
    return Array.isArray(v) ? v : this.fail(key, 'must be a list');
  }

  fail(key: string | number, what: string): undefined {
    this.src.report([...this.at, key], what);
    return undefined;
  }
}

function readParties(src: YamlSource): Map<PartyId, PartyDefinition> {
  const parties = new Map<PartyId, PartyDefinition>();
  if (!isObj(src.value)) {
    if (src.problems.length === 0) src.report([], 'must be a mapping with a "parties" list');
    return parties;
  }
  const top = new Fields(src, src.value, [], ['parties']);
  (top.list('parties') ?? []).forEach((raw, i) => {
    const at = ['parties', i];
    if (!isObj(raw)) return src.report(at, 'must be a mapping');
    const f = new Fields(src, raw, at, ['id', 'name', 'country']);
    const id = f.string('id', PARTY_ID_PATTERN);
    const name = f.string('name');
    const country = f.string('country', /^[A-Z]{2}$/);
    if (id && parties.has(id)) return f.fail('id', `duplicate party id ${id}`);
    if (id && name && country) parties.set(id, { id, name, country });
  });
  return parties;
}

function readAgreements(src: YamlSource, parties: ReadonlyMap<PartyId, PartyDefinition>): Agreement[] {
  if (!isObj(src.value)) {
    if (src.problems.length === 0) src.report([], 'must be a mapping with an "agreements" list');
    return [];
  }
  const top = new Fields(src, src.value, [], ['agreements']);
  const out: Agreement[] = [];
  const ids = new Set<string>();
  (top.list('agreements') ?? []).forEach((raw, i) => {
    const at: Path = ['agreements', i];
    if (!isObj(raw)) return src.report(at, 'must be a mapping');
    const f = new Fields(src, raw, at, [
      'id',
      'title',
      'kind',
      'parties',
      'signedOn',
      'inForceFrom',
      'suspendedFrom',
      'terminatedFrom',
      'channels',
      'purposes',
      'personalData',
      'retentionDays',
      'maskAfterDays',
      'onwardTransfer',
      'keepSuperseded',
    ]);
    const id = f.string('id', ID);
    if (id && ids.has(id)) f.fail('id', `duplicate agreement id ${id}`);
    if (id) ids.add(id);
    const members = readMembers(src, f, raw, at, parties);
    const signedOn = f.date('signedOn');
    const inForceFrom = f.date('inForceFrom', true);
    if (signedOn && inForceFrom && inForceFrom < signedOn) f.fail('inForceFrom', 'cannot be before signedOn');
    const channels = readChannels(src, f, at, new Set(members.map((m) => m.party)));
    const purposes = (f.list('purposes') ?? []).filter((p, j) =>
      typeof p === 'string' && ID.test(p)
        ? true
        : (f.fail('purposes', `entry ${j} must be a kebab-case purpose`), false),
    ) as string[];
    const retentionDays = raw.retentionDays;
    if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || (retentionDays as number) < 1))
      f.fail('retentionDays', 'must be a whole number of days ≥ 1');
    if (raw.keepSuperseded !== undefined && typeof raw.keepSuperseded !== 'boolean')
      f.fail('keepSuperseded', 'must be true or false');
    const maskAfterDays = readMaskAfterDays(f, raw);
    const agreement: Agreement = {
      id: id ?? '',
      title: f.string('title') ?? '',
      kind: f.oneOf('kind', KINDS) ?? 'agreement',
      parties: members,
      signedOn: signedOn ?? new Date(0),
      inForceFrom,
      suspendedFrom: f.date('suspendedFrom', true),
      terminatedFrom: f.date('terminatedFrom', true),
      channels,
      purposes,
      personalData: readPersonalData(src, raw.personalData, [...at, 'personalData']),
      retentionDays: retentionDays as number | undefined,
      maskAfterDays,
      onwardTransfer: f.oneOf('onwardTransfer', ONWARD) ?? 'prohibited',
      // Only when true: an agreement's canonical text (its evidence hash) does not change for a default.
      ...(raw.keepSuperseded === true ? { keepSuperseded: true } : {}),
    };
    checkMasking(src, agreement, at);
    out.push(agreement);
  });
  return out;
}

function readMaskAfterDays(f: Fields, raw: Obj): number | undefined {
  const days = raw.maskAfterDays;
  if (days === undefined) return undefined;
  if (!Number.isInteger(days) || (days as number) < 1) {
    f.fail('maskAfterDays', 'must be a whole number of days ≥ 1');
    return undefined;
  }
  return days as number;
}

/** Masking needs fields to mask, and must come before deletion: else the setting would mean nothing. */
function checkMasking(src: YamlSource, agreement: Agreement, at: Path): void {
  const pd = agreement.personalData;
  const maskFields = pd && 'allowedFields' in pd ? (pd.maskFields ?? []) : [];
  if (agreement.maskAfterDays === undefined) {
    if (maskFields.length > 0)
      src.report([...at, 'personalData', 'maskFields'], 'needs maskAfterDays on the agreement');
    return;
  }
  if (maskFields.length === 0)
    src.report([...at, 'maskAfterDays'], 'needs personalData.maskFields (the fields to mask)');
  if (agreement.retentionDays !== undefined && agreement.maskAfterDays >= agreement.retentionDays)
    src.report([...at, 'maskAfterDays'], 'must be fewer days than retentionDays');
}

function readMembers(
  src: YamlSource,
  f: Fields,
  raw: Obj,
  at: Path,
  parties: ReadonlyMap<PartyId, PartyDefinition>,
) {
  const members: { party: PartyId; role: string }[] = [];
  (f.list('parties') ?? []).forEach((m, j) => {
    const mat = [...at, 'parties', j];
    if (!isObj(m)) return src.report(mat, 'must be a mapping with party and role');
    const mf = new Fields(src, m, mat, ['party', 'role']);
    const party = mf.string('party');
    const role = mf.string('role');
    if (party && !parties.has(party))
      return mf.fail('party', `unknown party ${party} (not in the parties file)`);
    if (party && role) members.push({ party, role });
  });
  if (Array.isArray(raw.parties) && raw.parties.length < 2)
    f.fail('parties', 'an agreement needs at least two parties');
  return members;
}

function readChannels(
  src: YamlSource,
  f: Fields,
  at: Path,
  members: ReadonlySet<PartyId>,
): AgreementChannel[] {
  const channels: AgreementChannel[] = [];
  (f.list('channels') ?? []).forEach((c, j) => {
    const cat = [...at, 'channels', j];
    if (!isObj(c)) return src.report(cat, 'must be a mapping with from, to and types');
    const cf = new Fields(src, c, cat, ['from', 'to', 'types']);
    const side = (key: 'from' | 'to') =>
      (cf.list(key) ?? []).filter((p, k) =>
        typeof p === 'string' && members.has(p)
          ? true
          : (src.report([...cat, key, k], `${String(p)} is not a party of this agreement`), false),
      ) as PartyId[];
    const types = (cf.list('types') ?? []).flatMap((t, k) => {
      const type = typeof t === 'string' ? SHORT_TYPES.get(t) : undefined;
      if (!type)
        src.report(
          [...cat, 'types', k],
          `unknown message type ${String(t)} (known: ${[...SHORT_TYPES.keys()].join(', ')})`,
        );
      return type ? [type] : [];
    });
    channels.push({ from: side('from'), to: side('to'), types });
  });
  return channels;
}

function readPersonalData(src: YamlSource, raw: unknown, at: Path): Agreement['personalData'] {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) return void src.report(at, 'must be { none: true } or { allowedFields: [...] }');
  const f = new Fields(src, raw, at, ['none', 'allowedFields', 'consentFields', 'readableBy', 'maskFields']);
  if (raw.none === true && raw.allowedFields === undefined) return { none: true };
  const fields = f.list('allowedFields') ?? [];
  fields.forEach((p, k) => {
    if (typeof p !== 'string' || !/^[a-zA-Z]+(\[\])?(\.[a-zA-Z]+(\[\])?)*$/.test(p))
      src.report([...at, 'allowedFields', k], 'must be a field path like travelers[].document.number');
  });
  const allowedFields = fields.filter((p): p is string => typeof p === 'string');
  const access = readAccessAndMasking(src, f, raw, at, allowedFields);
  if (raw.consentFields === undefined) return { allowedFields, ...access };
  const consentFields = f.list('consentFields') ?? [];
  consentFields.forEach((p, k) => {
    if (typeof p !== 'string' || !/^[a-zA-Z]+(\[\])?\.[a-zA-Z]+$/.test(p))
      src.report([...at, 'consentFields', k], 'must name a flag of an item, like operators[].consent');
    else if (!allowedFields.includes(p))
      src.report([...at, 'consentFields', k], `${p} is part of the data set: list it in allowedFields too`);
  });
  return {
    allowedFields,
    consentFields: consentFields.filter((p): p is string => typeof p === 'string'),
    ...access,
  };
}

/** `readableBy` (API roles) and `maskFields` (paths of the data set holding names, dates of birth, document numbers). */
function readAccessAndMasking(
  src: YamlSource,
  f: Fields,
  raw: Obj,
  at: Path,
  allowedFields: readonly string[],
): { readableBy?: string[]; maskFields?: string[] } {
  const out: { readableBy?: string[]; maskFields?: string[] } = {};
  if (raw.readableBy !== undefined) {
    const roles = f.list('readableBy') ?? [];
    roles.forEach((r, k) => {
      if (typeof r !== 'string' || !ID.test(r))
        src.report([...at, 'readableBy', k], 'must be an API role like passenger-analyst');
    });
    if (roles.length === 0) src.report([...at, 'readableBy'], 'must name at least one role');
    out.readableBy = roles.filter((r): r is string => typeof r === 'string');
  }
  if (raw.maskFields !== undefined) {
    const paths = f.list('maskFields') ?? [];
    paths.forEach((p, k) => {
      if (typeof p !== 'string' || !allowedFields.includes(p))
        src.report([...at, 'maskFields', k], `${String(p)} must be one of allowedFields`);
    });
    out.maskFields = paths.filter((p): p is string => typeof p === 'string');
  }
  return out;
}
