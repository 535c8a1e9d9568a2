import { Controller, Get, Inject, NotFoundException, Param, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { withLessonNames } from '../lessons/read-model/lesson-titles.js';
import { readDashboardFile } from './dashboard-assets.js';
import { lessonChangesBetween, MAX_POINTS, modelPassRate, modelPassRateByFormat } from './model-pass-rate.js';

interface FileResponse {
  type(value: string): FileResponse;
  header(name: string, value: string): unknown;
  send(body: Buffer): void;
}

const NOT_BUILT = 'The dashboard is not built: run `npm run build` (it bundles dashboard/ into dist/dashboard/)';

/** The web dashboard (bundled at build time, same origin as the API) and the one aggregate its charts need. */
@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  // The page and its static assets are open even when reads need a token (a browser sends no bearer token when it
  // loads a page); they hold no data. The page asks for the token when an API call answers 401.
  @Get()
  @ApiExcludeEndpoint()
  page(@Res() res: FileResponse) {
    this.send(res, 'index.html');
  }

  @Get('assets/:name')
  @ApiExcludeEndpoint()
  asset(@Param('name') name: string, @Res() res: FileResponse) {
    this.send(res, name);
  }

  @Get('api/pass-rate')
  @RequiresScope('read')
  @ApiOperation({
    summary: "A model's pass rate per run, with the lesson changes over the same time span",
    description:
      `One point per run (the latest ${MAX_POINTS}), infra errors left out of attempts; \`formats\` the same per tool format ` +
      '(one line each; the format asked for alone when given); lessonChanges from the lesson timelines.',
  })
  @ApiQuery({ name: 'model', required: true, description: 'model name (without format) or the raw model string' })
  @ApiQuery({ name: 'format', required: false, description: 'tool format, or `default` for none' })
  @ApiOkResponse({ description: '{model, format, points: [{runId, at, attempts, passes, passRate, infraErrors}], formats: [{format, points}], lessonChanges: [{lessonId, lessonTitle, lessonPath, type, at}]}' })
  async passRate(@Query('model') model: unknown, @Query('format') format: unknown) {
    if (typeof model !== 'string' || model === '') throw new NotFoundException('model is required');
    const fmt = typeof format === 'string' && format !== '' ? format : undefined;
    const points = await modelPassRate(this.sql, model, fmt);
    if (points === null) throw new ServiceUnavailableException('The test-history read model has not been built yet');
    const formats = fmt !== undefined ? [{ format: fmt, points }] : ((await modelPassRateByFormat(this.sql, model)) ?? []);
    const lessonChanges = points.length === 0 ? [] : await withLessonNames(this.sql, await lessonChangesBetween(this.sql, points[0]!.at, new Date().toISOString()));
    return { model, format: fmt ?? null, points, formats, lessonChanges };
  }

  /** Browsers ask for /favicon.ico whatever the page links: the dashboard's icon (SVG, which they take there too). */
  static favicon(res: FileResponse): void {
    const file = readDashboardFile('favicon.svg');
    if (!file) throw new NotFoundException('The dashboard is not built');
    res.type(file.type);
    res.header('Cache-Control', 'public, max-age=86400');
    res.send(file.body);
  }

  private send(res: FileResponse, name: string): void {
    const file = readDashboardFile(name);
    if (!file) {
      if (name === 'index.html') throw new ServiceUnavailableException(NOT_BUILT);
      throw new NotFoundException(`No dashboard file ${name}`);
    }
    res.type(file.type);
    res.header('Cache-Control', name === 'index.html' ? 'no-cache' : 'public, max-age=300');
    res.send(file.body);
  }
}

/** GET /favicon.ico, open like the page. */
@Controller()
export class FaviconController {
  @Get('favicon.ico')
  @ApiExcludeEndpoint()
  favicon(@Res() res: FileResponse) {
    DashboardController.favicon(res);
  }
}
