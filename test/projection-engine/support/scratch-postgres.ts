/**
 * A fresh PostgreSQL database on DATABASE_URL's server whose URL child processes can connect to
 * (openTestDatabase() does the same but keeps the URL to itself). Migrated; dropped by drop().
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../../src/database/migrate.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `lessonloop_proj_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = await openPgSqlClient({ connectionString: url.toString() });
  try {
    await migrate(sql);
  } finally {
    await sql.close();
  }
  return { url: url.toString(), drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
