/**
 * The lifecycle policy in the application: `GET /lessons/:id/audit`, and the policy processor running in
 * the server process under AppConfig's LESSONLOOP_POLICY_RULE_SET (same switch as the projections:
 * LESSONLOOP_RUN_PROJECTIONS auto = only with an HTTP server; always; never). Stopped before the store closes.
 */
import { Inject, Injectable, Logger, Module, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { LifecyclePolicyRunner } from './lifecycle-policy-runner.js';
import { LifecycleController } from './lifecycle.controller.js';
import { activeRuleSetId } from './policy/active-rule-set.js';
import { AuditLessonHandler } from './queries/audit-lesson.query.js';

@Injectable()
class LifecyclePolicyLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LifecyclePolicy');
  private runner: LifecyclePolicyRunner | undefined;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const mode = this.config.LESSONLOOP_RUN_PROJECTIONS ?? 'auto';
    const withHttp = Boolean(this.adapterHost?.httpAdapter);
    if (mode === 'never' || (mode === 'auto' && !withHttp)) return;
    this.runner = new LifecyclePolicyRunner(this.sql, this.store, { ruleSetId: activeRuleSetId(this.config) });
    const instanceId = await this.runner.start();
    this.logger.log(`lifecycle policy running as ${instanceId}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
  }
}

@Module({
  controllers: [LifecycleController],
  providers: [LifecyclePolicyLifecycle, AuditLessonHandler],
})
export class LifecycleModule {}
