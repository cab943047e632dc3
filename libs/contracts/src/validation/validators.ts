import { registerDecorator, type ValidationOptions } from 'class-validator';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date as YYYY-MM-DD (2025-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999 and would refuse 0050-01-01.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a real calendar date as YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });
}

/** A decimal number as a string (money, quantities): no exponent, up to 4 decimals. */
export function IsDecimalString(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimalString',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a decimal number as a string, e.g. "12500.00"', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && /^\d{1,15}(\.\d{1,4})?$/.test(v) },
    });
}

/**
 * Codes that appear in the nationality and issuing-state fields of ICAO Doc 9303 travel documents
 * beyond ISO 3166-1 alpha-3: Germany's D, UN and EU documents, Kosovo, stateless persons, refugees,
 * and British nationality categories.
 */
const ICAO_SPECIAL = new Set([
  'D',
  'UNO',
  'UNA',
  'UNK',
  'EUE',
  'XXA',
  'XXB',
  'XXC',
  'XXX',
  'GBD',
  'GBN',
  'GBO',
  'GBP',
  'GBS',
  'RKS',
]);

export function IsIcaoStateCode(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIcaoStateCode',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an ISO 3166-1 alpha-3 or ICAO Doc 9303 state code', ...options },
      constraints: [],
      validator: {
        validate: (v: unknown) => typeof v === 'string' && (ICAO_SPECIAL.has(v) || ISO_ALPHA3.has(v)),
      },
    });
}

// ISO 3166-1 alpha-3, current officially assigned codes.
const ISO_ALPHA3 = new Set(
  `ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM
   BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM
   CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP
   GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR
   JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL
   MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK
   PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR
   SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA
   UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE`.split(/\s+/),
);

/** Enum values as their proto3-JSON names, without the UNSPECIFIED zero value. */
export function enumNames(schema: { values: readonly { name: string; number: number }[] }): string[] {
  return schema.values.filter((v) => v.number !== 0).map((v) => v.name);
}
