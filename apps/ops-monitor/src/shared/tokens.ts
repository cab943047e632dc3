/** Injection tokens for what the monitor opens before Nest starts (see monitor-runtime.ts). */
export const MONITOR_CONFIG = Symbol('MONITOR_CONFIG');
export const MONITOR_HUB = Symbol('MONITOR_HUB');
export const MONITOR_METRICS = Symbol('MONITOR_METRICS');
export const MONITOR_CLIENTS = Symbol('MONITOR_CLIENTS');
export const DASHBOARD_PAGE = Symbol('DASHBOARD_PAGE');
export const LIVE_STREAM = Symbol('LIVE_STREAM');
export const FLOW_SOURCE = Symbol('FLOW_SOURCE');
