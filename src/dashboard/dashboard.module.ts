import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** GET /dashboard: the web dashboard (dist/dashboard, built by scripts/build-dashboard.mjs) and its aggregate. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
