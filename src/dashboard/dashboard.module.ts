import { Module } from '@nestjs/common';
import { DashboardController, FaviconController } from './dashboard.controller.js';

/** GET /dashboard: the web dashboard (dist/dashboard, built by scripts/build-dashboard.mjs) its aggregate, and /favicon.ico. */
@Module({ controllers: [DashboardController, FaviconController] })
export class DashboardModule {}
