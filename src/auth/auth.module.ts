import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { loadTokenRegistry } from './load-token-registry.js';
import { TokenRegistry } from './token-registry.js';

/** Bearer-token auth for every endpoint marked with @RequiresScope (a global guard). */
@Global()
@Module({
  providers: [
    { provide: TokenRegistry, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadTokenRegistry(config) },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [TokenRegistry],
})
export class AuthModule {}
