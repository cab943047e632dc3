/** Injection tokens an app provides for the shared bearer guard. */

/** The request budget (TokenBuckets or any RequestBudget), or null when rate limiting is off. */
export const REQUEST_BUDGET = Symbol('REQUEST_BUDGET');
/** Where the guard finds a client by the SHA-256 of its token (a ClientLookup). */
export const CLIENT_LOOKUP = Symbol('CLIENT_LOOKUP');
