/**
 * The projection engine inside the application: one ProjectionEngine over the app's SqlClient and event
 * store with every registered projection, /projections and /metrics, and the processors running in the
 * server process (LESSONLOOP_RUN_PROJECTIONS: auto = only when there is an HTTP server, i.e. `serve` and
 * not CLI commands; always; never). Stopped before the event store and database close.
 */
import { Inject, Injectable, Logger, Module, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { MetricsController } from './http/metrics.controller.js';
import { ProjectionsController } from './http/projections.controller.js';
import { registerAppMetrics } from '../common/metrics/app-metrics.js';
import { METRICS_REGISTRY, registerProjectionMetrics } from './status/metrics.js';
import { ProjectionEngine } from './projection-engine.js';
import { REGISTERED_PROJECTIONS } from './registered-projections.js';
import { RULE_SET_SOURCE, storeRuleSetSource, type RuleSetSource } from './instances/rule-sets.js';

@Injectable()
class ProjectionEngineLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProjectionEngine');

  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const mode = this.config.LESSONLOOP_RUN_PROJECTIONS ?? 'auto';
    const withHttp = Boolean(this.adapterHost?.httpAdapter);
    // Tables and first instances exist in every process (queries need them); processors only where asked.
    await this.engine.prepare();
    if (mode === 'never' || (mode === 'auto' && !withHttp)) return;
    await this.engine.start();
    this.logger.log(`running ${this.engine.definitions().length} projections`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.engine.stop();
  }
}

@Module({
  controllers: [ProjectionsController, MetricsController],
  providers: [
    { provide: RULE_SET_SOURCE, inject: [EVENT_STORE], useFactory: (store: EventStore) => storeRuleSetSource(store) },
    {
      provide: ProjectionEngine,
      inject: [SQL_CLIENT, EVENT_STORE, RULE_SET_SOURCE],
      useFactory: (sql: SqlClient, store: EventStore, ruleSets: RuleSetSource) =>
        new ProjectionEngine({ sql, store, projections: REGISTERED_PROJECTIONS, ruleSets }),
    },
    {
      provide: METRICS_REGISTRY,
      inject: [ProjectionEngine],
      useFactory: (engine: ProjectionEngine) => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        registerProjectionMetrics(registry, engine);
        registerAppMetrics(registry);
        return registry;
      },
    },
    ProjectionEngineLifecycle,
  ],
  exports: [ProjectionEngine, METRICS_REGISTRY],
})
export class ProjectionEngineModule {}
