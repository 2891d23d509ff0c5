import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { configIn, ROOT, runCli, tempDir } from '../helpers.js';

const defaultRouting = readFileSync(join(ROOT, 'config', 'routing.yaml'), 'utf8');

function configError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('accepts the shipped default and gives every key a default', () => {
    const config = loadConfig(join(ROOT, 'config', 'postrobot.yaml'), {});
    expect(config.routing.areas.map((area) => area.id)).toEqual([
      'boern-unge',
      'handicap-aeldre',
      'beskaeftigelse',
      'arbejdsskade',
      'udbetaling-danmark',
      'adoption',
      'tilsyn',
      'naevn',
      'forsikrede-ledige',
      'retssager',
    ]);
    expect(config.routing.folders).toEqual({ manual: 'Manuel fordeling', quarantine: 'Karantæne' });
    expect(config.main.source.kind).toBe('maildir');
    expect(config.inboxDir).toBe(join(config.dataDir, 'inbox'));
  });

  it('takes the data directory, IMAP and log level from the environment', () => {
    const config = loadConfig(join(ROOT, 'config', 'postrobot.yaml'), {
      POSTROBOT_DATA_DIR: dir,
      POSTROBOT_IMAP_URL: 'imap://robot@127.0.0.1:1143',
      POSTROBOT_IMAP_PASSWORD: 'hemmelig',
      POSTROBOT_LOG_LEVEL: 'debug',
    });
    expect(config.dataDir).toBe(dir);
    expect(config.inboxDir).toBe(join(dir, 'inbox'));
    expect(config.main.source.kind).toBe('imap');
    expect(config.imap?.url.hostname).toBe('127.0.0.1');
    expect(config.imap?.password).toBe('hemmelig');
    expect(config.main.log.level).toBe('debug');
  });

  it('reads a password from the file named in the config, never from the YAML', () => {
    writeFileSync(join(dir, 'imap.secret'), 'fra-fil\n', { mode: 0o600 });
    const file = configIn(dir, {
      imap: `\n  url: imaps://robot@mail.example.dk:993\n  passwordFile: ${join(dir, 'imap.secret')}`,
    });
    expect(loadConfig(file, {}).imap?.password).toBe('fra-fil');
    const inline = configIn(dir, { imap: '\n  url: imaps://robot:hemmelig@mail.example.dk:993' });
    const error = configError(() => loadConfig(inline, {}));
    expect(error.keyPath).toBe('imap.url');
    expect(error.message).not.toContain('hemmelig');
  });

  it.each([
    [
      'an unknown key',
      'defaultThreshold: 0.9',
      'defaultTreshold: 0.9',
      'defaultTreshold',
      /unknown key "defaultTreshold"/,
    ],
    [
      'a wrong type',
      'defaultThreshold: 0.9',
      'defaultThreshold: høj',
      'defaultThreshold',
      /number/,
    ],
    [
      'a bad regex',
      "regex: '(?<![\\p{L}\\d])(?:sags?",
      "regex: '(?<![\\p{L}\\d])((?:sags?",
      'caseNumbers.patterns[0].regex',
      /regular expression/,
    ],
    [
      'a duplicate area id',
      '- id: handicap-aeldre',
      '- id: boern-unge',
      'areas[1].id',
      /duplicate/,
    ],
    ['a missing folder', '    folder: Adoption\n', '', 'areas[5].folder', /missing/],
  ])('refuses %s, naming the file, the key and the fix', (_what, from, to, keyPath, problem) => {
    expect(defaultRouting).toContain(from);
    const file = configIn(dir, {}, defaultRouting.replace(from, to));
    const error = configError(() => loadConfig(file, {}));
    expect(error.file).toBe(join(dir, 'config', 'routing.yaml'));
    expect(error.keyPath.startsWith(keyPath)).toBe(true);
    expect(error.message).toMatch(problem);
    expect(error.hint.length).toBeGreaterThan(10);
  });

  it('config check exits 0 with a summary, and 2 naming the key on a broken file', () => {
    const good = runCli(['config', 'check', configIn(dir)]);
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/valid/);
    const brokenRouting = join(dir, 'broken-routing.yaml');
    writeFileSync(
      brokenRouting,
      defaultRouting.replace('- id: handicap-aeldre', '- id: boern-unge'),
    );
    const bad = runCli(['config', 'check', brokenRouting]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('broken-routing.yaml');
    expect(bad.stderr).toContain('areas[1].id');
    expect(bad.stderr).toMatch(/Give every area its own id/);
  });

  it('refuses to start on a missing config with exit 2', () => {
    const result = runCli(['run', '--once', '--config', join(dir, 'nowhere.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nowhere.yaml');
  });
});
