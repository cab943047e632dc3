import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BearerAuthGuard, CLIENT_LOOKUP, HttpExceptionFilter, REQUEST_BUDGET } from '@app/api-edge';
import { DashboardHttpController } from './http/dashboard.http.controller';
import { HealthHttpController } from './http/health.http.controller';
import { MetricsHttpController } from './http/metrics.http.controller';
import { StreamHttpController } from './http/stream.http.controller';
import { SummaryHttpController } from './http/summary.http.controller';
import { TrailHttpController } from './http/trail.http.controller';
import type { MonitorRuntime } from './monitor-runtime';
import {
  DASHBOARD_PAGE,
  FLOW_SOURCE,
  LIVE_STREAM,
  MONITOR_CLIENTS,
  MONITOR_CONFIG,
  MONITOR_HUB,
  MONITOR_METRICS,
} from './shared/tokens';

/** The ops monitor's HTTP side: the dashboard, its API and event stream, and its own health and metrics. */
@Module({})
export class OpsMonitorModule {
  static forRuntime(runtime: MonitorRuntime): DynamicModule {
    return {
      module: OpsMonitorModule,
      controllers: [
        DashboardHttpController,
        SummaryHttpController,
        TrailHttpController,
        StreamHttpController,
        HealthHttpController,
        MetricsHttpController,
      ],
      providers: [
        { provide: MONITOR_CONFIG, useValue: runtime.config },
        { provide: MONITOR_HUB, useValue: runtime.hub },
        { provide: MONITOR_METRICS, useValue: runtime.metrics },
        { provide: MONITOR_CLIENTS, useValue: runtime.clients },
        { provide: DASHBOARD_PAGE, useValue: runtime.page },
        { provide: LIVE_STREAM, useValue: runtime.live },
        { provide: FLOW_SOURCE, useValue: runtime.source },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: CLIENT_LOOKUP, useValue: runtime.clients },
        // A handful of ops clients on an internal port: no request budget.
        { provide: REQUEST_BUDGET, useValue: null },
        BearerAuthGuard,
      ],
    };
  }
}
