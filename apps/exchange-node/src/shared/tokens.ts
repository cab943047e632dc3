/** Injection tokens for the resources the node opens before Nest starts (see node-runtime.ts). */
export const DB = Symbol('DB');
export const CATALOG = Symbol('CATALOG');
export const OWN_KEYS = Symbol('OWN_KEYS');
export const TRUST_STORE = Symbol('TRUST_STORE');
export const PRODUCER = Symbol('PRODUCER');
export const FLOW_EVENTS = Symbol('FLOW_EVENTS');
export const INBOX_SERVER = Symbol('INBOX_SERVER');
export const METRICS = Symbol('METRICS');
/** The node's GroupCommitter: the hot paths' transactions, committed together under load. */
export const GROUP_COMMIT = Symbol('GROUP_COMMIT');
/** The webhook endpoints of PUENTE_WEBHOOKS_FILE (an empty list without it). */
export const WEBHOOK_ENDPOINTS = Symbol('WEBHOOK_ENDPOINTS');
/** The broker's topic probe (lag, depth) behind the gauges. */
export const TOPIC_PROBE = Symbol('TOPIC_PROBE');
/** The API clients read from the clients file at start-up. */
export const API_CLIENTS = Symbol('API_CLIENTS');
/** The node's kafkajs client (the trust topic's consumer is made from it). */
export const KAFKA = Symbol('KAFKA');
/** The officer console's static files (ConsoleBundle), read at start-up; empty when not built. */
export const CONSOLE_BUNDLE = Symbol('CONSOLE_BUNDLE');
