import { Module } from '@nestjs/common';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { activeRuleSetId, loadActiveRules, POLICY_RULES } from '../lifecycle/policy/active-rule-set.js';
import { BanditController } from './bandit.controller.js';
import { BanditService } from './bandit.service.js';

/** Thompson-sampling lesson selection, session rewards and posteriors (`/sessions/...`, `/lessons/:id/posterior`). */
@Module({
  controllers: [BanditController],
  providers: [
    {
      provide: POLICY_RULES,
      inject: [EVENT_STORE, APP_CONFIG],
      useFactory: (store: EventStore, config: AppConfig) => loadActiveRules(store, activeRuleSetId(config)),
    },
    {
      provide: BanditService,
      inject: [EVENT_STORE, POLICY_RULES, SQL_CLIENT],
      useFactory: (store: EventStore, rules: BanditRules, sql: SqlClient) => new BanditService(store, rules, sql),
    },
  ],
  exports: [BanditService],
})
export class BanditModule {}
