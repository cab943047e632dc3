/**
 * What a handler failure says about the record that caused it:
 * - `transient`: the database or broker is unavailable; the same record is retried, never skipped,
 *   because it would succeed once they are back.
 * - `permanent`: the record itself cannot be stored or judged (bytes PostgreSQL text refuses, a
 *   constraint it breaks, a validation it fails); retrying changes nothing, so it is set aside.
 * - `unknown`: anything else; retried a few times (a unique-key race resolves on the next attempt),
 *   and set aside once it has failed `maxAttempts` times.
 */
export type InboxFaultKind = 'transient' | 'permanent' | 'unknown';

/** PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator intervention. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-4]|40001|40P01)/;
/** 22 data exception (e.g. 22021 invalid byte sequence, 22P05 untranslatable character), 23 integrity, 42 syntax. */
const PERMANENT_SQLSTATE = /^(22|23|42)/;
/** A unique-key race: another copy was stored first; the next attempt judges this one a duplicate. */
const RACE_SQLSTATE = '23505';

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TRANSIENT_MESSAGE =
  /connection terminated|connection (refused|reset|closed)|terminating connection|the database system is (starting up|shutting down)|timeout exceeded when trying to connect|Connection lost|KafkaJSConnection|broker.*(not available|unavailable)|pool (is )?(ended|closed)|calling end on the pool|not queryable|Connection is closed/i;
const PERMANENT_MESSAGE =
  /invalid byte sequence|unsupported Unicode escape|violates .* constraint|invalid input syntax/i;

/** The contracts' validation errors, thrown by a handler building something from the record: never worth retrying. */
const PERMANENT_NAMES = new Set(['PayloadInvalidError', 'PayloadDecodeError']);

export function classifyInboxFault(error: unknown): InboxFaultKind {
  let unknownSeen = false;
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const o = e as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    const code = typeof o.code === 'string' ? o.code : undefined;
    const message = typeof o.message === 'string' ? o.message : typeof e === 'string' ? e : '';
    const name = typeof o.name === 'string' ? o.name : '';
    if (code === RACE_SQLSTATE) unknownSeen = true;
    else if (code && TRANSIENT_SQLSTATE.test(code)) return 'transient';
    else if (code && TRANSIENT_NODE_CODES.has(code)) return 'transient';
    else if (code && /^[0-9A-Z]{5}$/.test(code) && PERMANENT_SQLSTATE.test(code)) return 'permanent';
    if (PERMANENT_NAMES.has(name)) return 'permanent';
    if (/KafkaJSConnectionError|KafkaJSRequestTimeoutError|KafkaJSBrokerNotFound/.test(name))
      return 'transient';
    if (!unknownSeen && TRANSIENT_MESSAGE.test(message)) return 'transient';
    if (!unknownSeen && PERMANENT_MESSAGE.test(message)) return 'permanent';
    e = o.cause ?? o.originalError;
  }
  return 'unknown';
}
