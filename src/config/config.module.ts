import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, loadAppConfig, type AppConfig } from './app-config.js';

/**
 * Provides APP_CONFIG everywhere. The settings are validated before Nest starts (loadAppConfig throws a
 * ConfigValidationError listing every problem), so a bad value never gets as far as a half-built app.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig = loadAppConfig()): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: Object.freeze({ ...config }) }],
      exports: [APP_CONFIG],
    };
  }
}
