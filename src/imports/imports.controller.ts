import { BadRequestException, Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { importExposureFiles } from '../exposure-files/import-exposure-files.js';
import { DEFAULT_BATCH_EVENTS, importResults } from '../ingest/import-results.js';
import { GitError } from '../lessons/git/git-repository.js';
import { runLessonImport } from '../lessons/import/run-lesson-import.js';
import { LessonsReadModel } from '../lessons/read-model/lessons.read-model.js';
import { folderUnderRoot, ImportPathError } from './import-root.js';
import { ndjsonProgress, streamNdjson, type RawReply } from './ndjson.js';

type Body = Record<string, unknown> | undefined;

const NDJSON = 'NDJSON, one object a line: {progress: {runsDone, runsTotal, rows, elapsedMs}} while it runs, then {summary} or {error}';

/**
 * Imports of folders on the server's machine, under LESSONLOOP_IMPORT_ROOT (default: the server's working
 * directory): what `lessonloop import ...` and `exposure import` send when a server holds the store.
 */
@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly modules: ModuleRef,
  ) {}

  @Post('results')
  @HttpCode(200)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Import a gptme eval_results/ folder on the server (as `lessonloop import results`)', description: NDJSON })
  @ApiBody({ schema: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, batchEvents: { type: 'integer' } } } })
  @ApiOkResponse({ description: 'the progress lines, then the import summary' })
  @ApiBadRequestResponse({ description: 'path missing, not a folder, or outside the import root' })
  async results(@Body() body: Body, @Res() reply: RawReply): Promise<void> {
    const dir = await this.folder(body);
    const batchEvents = body?.batchEvents === undefined ? DEFAULT_BATCH_EVENTS : Number(body.batchEvents);
    if (!Number.isInteger(batchEvents) || batchEvents <= 0) throw new BadRequestException('batchEvents: a positive integer');
    await streamNdjson(reply, (write) => importResults(this.store, dir, { batchEvents, progress: ndjsonProgress(write) }));
  }

  @Post('lessons')
  @HttpCode(200)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Import a folder of gptme lessons on the server, or replay its git history (as `lessonloop import lessons`)', description: NDJSON })
  @ApiBody({ schema: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, git: { type: 'boolean' }, root: { type: 'string' }, prune: { type: 'boolean' }, actor: { type: 'string' } } } })
  @ApiOkResponse({ description: 'the import summary' })
  @ApiBadRequestResponse({ description: 'path missing, not a folder, or outside the import root' })
  async lessons(@Body() body: Body, @Res() reply: RawReply): Promise<void> {
    const dir = await this.folder(body);
    const text = (key: string) => (typeof body?.[key] === 'string' ? (body[key] as string) : undefined);
    const options = { git: body?.git === true, prune: body?.prune === true, ...(text('root') ? { root: text('root') } : {}), ...(text('actor') ? { actor: text('actor') } : {}) };
    const lessons = this.modules.get(LessonsReadModel, { strict: false });
    await streamNdjson(reply, () => runLessonImport(this.store, () => lessons.lessonIds(), dir, options), (error) => error instanceof GitError);
  }

  @Post('exposure')
  @HttpCode(200)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Exposure of imported runs from a gptme eval_results/ folder on the server (as `lessonloop exposure import`)', description: NDJSON })
  @ApiBody({ schema: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, cap: { type: 'integer' }, runHoldout: { type: 'array', items: { type: 'string' } } } } })
  @ApiOkResponse({ description: 'the import summary' })
  async exposure(@Body() body: Body, @Res() reply: RawReply): Promise<void> {
    const dir = await this.folder(body);
    const cap = body?.cap === undefined ? 5 : Number(body.cap);
    if (!Number.isInteger(cap) || cap <= 0) throw new BadRequestException('cap: a positive integer');
    const runHoldoutRuns = new Set(Array.isArray(body?.runHoldout) ? body.runHoldout.filter((r): r is string => typeof r === 'string') : []);
    await streamNdjson(
      reply,
      () => importExposureFiles(this.store, this.sql, dir, { logRoot: this.config.LESSONLOOP_LOG_ROOT, cap, runHoldoutRuns }),
      (error) => error instanceof Error && /LESSONLOOP_LOG_ROOT/.test(error.message),
    );
  }

  private async folder(body: Body): Promise<string> {
    try {
      return await folderUnderRoot(this.config.LESSONLOOP_IMPORT_ROOT ?? process.cwd(), body?.path);
    } catch (error) {
      if (error instanceof ImportPathError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
