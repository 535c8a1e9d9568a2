import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module.js';
import { BanditModule } from './bandit/bandit.module.js';
import { EffectsModule } from './effects/effects.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { InjectionGateModule } from './injection-gate/injection-gate.module.js';
import { DraftsModule } from './drafts/drafts.module.js';
import { HttpDrain } from './bootstrap/http-drain.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { EvalRunsHttpModule } from './ingest/http/eval-runs-http.module.js';
import { EvalReadModelsModule } from './eval-read-models/eval-read-models.module.js';
import { ExternalChangesModule } from './external-changes/external-changes.module.js';
import { ExperimentsModule } from './experiments/experiments.module.js';
import type { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { HealthModule } from './health/health.module.js';
import { LessonsModule } from './lessons/lessons.module.js';
import { LoggingModule, type LoggingOptions } from './logging/logging.module.js';
import { ReadModelDatabaseModule } from './read-models/read-model-database.module.js';
import { ProjectionEngineModule } from './projection-engine/projection-engine.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/**
 * FEATURE MODULES: add yours here, one line each. Commands go through the CommandBus and queries through the
 * QueryBus (CqrsModule is global); the event store (EVENT_STORE), SqlClient (SQL_CLIENT), APP_CONFIG and the
 * read-model DataSource (@nestjs/typeorm) are injectable everywhere.
 */
export const FEATURE_MODULES: ModuleImport[] = [
  ProjectionEngineModule,
  AuthModule,
  EvalRunsHttpModule,
  EvalReadModelsModule,
  ExternalChangesModule,
  LessonsModule,
  BanditModule,
  EffectsModule,
  InjectionGateModule,
  DraftsModule,
  LifecycleModule,
  ExperimentsModule,
  DashboardModule,
  WebhooksModule,
  ImportsModule,
];

export interface AppModuleOptions {
  logging?: LoggingOptions;
}

/** The whole application; the same module serves HTTP (createApp) and CLI commands (withAppContext). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logging),
        DatabaseModule,
        EventStoreModule,
        ReadModelDatabaseModule,
        CqrsModule.forRoot(),
        HealthModule,
        ...FEATURE_MODULES,
      ],
      providers: [HttpDrain],
    };
  }
}
