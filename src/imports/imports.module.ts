import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller.js';

/** POST /imports/results, /imports/lessons, /imports/exposure: folder imports on the server's machine. */
@Module({ controllers: [ImportsController] })
export class ImportsModule {}
