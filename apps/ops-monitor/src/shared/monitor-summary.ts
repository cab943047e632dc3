import type { FlowView } from '../aggregation/flow.monitor';
import type { NodeStatusView } from '../aggregation/node-health.board';

/** Everything the dashboard shows, as `GET /api/summary` and the `summary` stream event carry it. */
export interface MonitorSummary extends FlowView {
  readonly generatedAt: string;
  readonly windows: {
    readonly historySeconds: number;
    readonly latencySeconds: number;
    readonly overdueAfterSeconds: number;
  };
  /** The administrations on the map: configured nodes plus any party seen on a link. */
  readonly parties: readonly string[];
  readonly nodes: readonly NodeStatusView[];
  readonly consumer: { readonly running: boolean; readonly topic: string };
}
