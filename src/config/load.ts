import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { CaseNumberPattern } from '../pipeline/case-numbers.js';
import { defaultConfigFile } from './paths.js';
import {
  mainSchema,
  routingSchema,
  type MainConfig,
  type RoutingConfig,
  type TextMatcher,
} from './schema.js';
import { keyPathText, lineOf, parseYaml, schemaError, type YamlSource } from './yaml-errors.js';

export type TransportSecurity = 'tls' | 'starttls' | 'plain';

export interface EndpointConfig {
  url: URL;
  password: string | null;
  security: TransportSecurity;
  host: string;
  port: number;
  user: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const SCHEMES: Record<string, { security: TransportSecurity; port: number }> = {
  'imaps:': { security: 'tls', port: 993 },
  'imap+starttls:': { security: 'starttls', port: 143 },
  'imap:': { security: 'plain', port: 143 },
  'smtps:': { security: 'tls', port: 465 },
  'smtp+starttls:': { security: 'starttls', port: 587 },
  'smtp:': { security: 'plain', port: 25 },
};

/** The whole configuration, parsed once, with paths resolved and secrets read. */
export interface Config {
  file: string;
  routingFile: string;
  main: MainConfig;
  routing: RoutingConfig;
  dataDir: string;
  inboxDir: string;
  modelDir: string;
  imap: EndpointConfig | null;
  smtp: EndpointConfig | null;
  caseNumberPatterns: CaseNumberPattern[];
}

type Env = Record<string, string | undefined>;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      file,
      '',
      `cannot read the ${what} (${code ?? 'error'})`,
      'Check the path, or set POSTROBOT_CONFIG to the configuration file.',
    );
  }
}

function compileRegex(
  source: YamlSource,
  path: PropertyKey[],
  pattern: string,
  flags: string,
): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw new ConfigError(
      source.file,
      keyPathText(path) + lineOf(source, path),
      `not a valid regular expression (${(error as Error).message})`,
      'Fix the pattern; in YAML, write it in single quotes so that backslashes are kept.',
    );
  }
}

function checkMatcherRegexes(source: YamlSource, routing: RoutingConfig): void {
  routing.rules.forEach((rule, index) => {
    for (const [field, matcher] of Object.entries(rule.match) as [
      string,
      TextMatcher | undefined,
    ][]) {
      if (matcher && typeof matcher === 'object' && 'regex' in matcher) {
        compileRegex(source, ['rules', index, 'match', field, 'regex'], matcher.regex, 'iu');
      }
    }
  });
}

function validateRouting(source: YamlSource, routing: RoutingConfig): CaseNumberPattern[] {
  const ids = new Set<string>();
  routing.areas.forEach((area, index) => {
    if (ids.has(area.id) || area.id === 'manual') {
      const path = ['areas', index, 'id'];
      throw new ConfigError(
        source.file,
        keyPathText(path) + lineOf(source, path),
        `duplicate or reserved area id "${area.id}"`,
        'Give every area its own id; "manual" is reserved for "a person decides".',
      );
    }
    ids.add(area.id);
  });
  const folders = new Map<string, string>();
  const special = [routing.folders.manual, routing.folders.quarantine];
  routing.areas.forEach((area, index) => {
    const path = ['areas', index, 'folder'];
    if (/[/\\]/.test(area.folder) || area.folder.startsWith('.')) {
      throw new ConfigError(
        source.file,
        keyPathText(path) + lineOf(source, path),
        `folder "${area.folder}" contains "/" or "\\" or starts with "."`,
        'Use a plain folder name such as "Børn og unge".',
      );
    }
    const other = folders.get(area.folder);
    if (other !== undefined || special.includes(area.folder)) {
      throw new ConfigError(
        source.file,
        keyPathText(path) + lineOf(source, path),
        `folder "${area.folder}" is used twice (also by ${other ?? 'the manual or quarantine folder'})`,
        'Give each area its own folder.',
      );
    }
    folders.set(area.folder, area.id);
  });
  routing.rules.forEach((rule, index) => {
    if (rule.area !== 'manual' && !ids.has(rule.area)) {
      const path = ['rules', index, 'area'];
      throw new ConfigError(
        source.file,
        keyPathText(path) + lineOf(source, path),
        `unknown area "${rule.area}"`,
        `Use one of the area ids (${[...ids].join(', ')}) or "manual".`,
      );
    }
    if (Object.keys(rule.match).length === 0) {
      const path = ['rules', index, 'match'];
      throw new ConfigError(
        source.file,
        keyPathText(path) + lineOf(source, path),
        'a rule with no matcher would match every mail',
        'Add at least one of from, domain, subject, body, attachment.',
      );
    }
  });
  routing.areas.forEach((area, index) => {
    area.addresses.forEach((address, a) => {
      const allowed = routing.forwardAllowlist.some((suffix) =>
        address.toLowerCase().endsWith(suffix.toLowerCase()),
      );
      if (!allowed) {
        const path = ['areas', index, 'addresses', a];
        throw new ConfigError(
          source.file,
          keyPathText(path) + lineOf(source, path),
          `address "${address}" is not covered by forwardAllowlist`,
          'Add its domain (e.g. "@ast.dk") to forwardAllowlist, or remove the address.',
        );
      }
    });
  });
  checkMatcherRegexes(source, routing);
  return routing.caseNumbers.patterns.map((pattern, index) => {
    const path = ['caseNumbers', 'patterns', index, 'regex'];
    const regex = compileRegex(source, path, pattern.regex, 'giu');
    if (!pattern.regex.includes('?<year>') || !pattern.regex.includes('?<number>')) {
      throw new ConfigError(
        source.file,
        keyPathText(path) + lineOf(source, path),
        'the pattern lacks the named groups (?<year>…) and (?<number>…)',
        'Capture the year and the serial number as named groups so that the number can be normalised.',
      );
    }
    return { name: pattern.name, regex };
  });
}

/** Parses the routing file alone (used by reloads and by `config check`). */
export function loadRouting(file: string): {
  routing: RoutingConfig;
  caseNumberPatterns: CaseNumberPattern[];
} {
  const source = parseYaml(file, readText(file, 'routing file'));
  const parsed = routingSchema.safeParse(source.doc.toJS() ?? {});
  if (!parsed.success) throw schemaError(source, parsed.error);
  const caseNumberPatterns = validateRouting(source, parsed.data);
  return { routing: parsed.data, caseNumberPatterns };
}

function endpoint(
  file: string,
  key: string,
  url: string | null,
  passwordEnv: string | undefined,
  passwordFile: string | null,
  base: string,
  allowPlaintextLoopback: boolean,
): EndpointConfig | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      file,
      key,
      `"${url.replace(/\/\/[^@/]*@/, '//…@')}" is not a URL`,
      'Write it as imaps://user@host:993 (or smtps://user@host:465).',
    );
  }
  const kind = key.startsWith('imap') ? 'imap' : 'smtp';
  const scheme = SCHEMES[parsed.protocol];
  if (!scheme || !parsed.protocol.startsWith(kind)) {
    throw new ConfigError(
      file,
      key,
      `unsupported scheme "${parsed.protocol}"`,
      `Use ${kind}s:// (TLS), ${kind}+starttls:// (STARTTLS) or ${kind}:// (plain, loopback only).`,
    );
  }
  if (scheme.security === 'plain' && (!isLoopback(parsed.hostname) || !allowPlaintextLoopback)) {
    throw new ConfigError(
      file,
      key,
      `plain ${kind}:// to ${parsed.hostname} would send the password unencrypted`,
      `Use ${kind}s:// or ${kind}+starttls://; plain ${kind}:// is accepted only for 127.0.0.1 (and only with ${kind}.allowPlaintextLoopback).`,
    );
  }
  if (parsed.password) {
    throw new ConfigError(
      file,
      key,
      'the URL contains a password',
      'Put the password in the environment (POSTROBOT_IMAP_PASSWORD / POSTROBOT_SMTP_PASSWORD) or in a file named by passwordFile.',
    );
  }
  let password: string | null = passwordEnv ?? null;
  if (password === null && passwordFile) {
    const path = isAbsolute(passwordFile) ? passwordFile : resolve(base, passwordFile);
    password = readText(path, 'password file').replace(/\r?\n$/, '');
  }
  return {
    url: parsed,
    password,
    security: scheme.security,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : scheme.port,
    user: decodeURIComponent(parsed.username),
  };
}

/** Loads and validates the configuration; throws ConfigError naming file, key and fix. */
export function loadConfig(file?: string, env: Env = process.env): Config {
  const configFile = resolve(file ?? env.POSTROBOT_CONFIG ?? defaultConfigFile());
  const source = parseYaml(configFile, readText(configFile, 'configuration file'));
  const parsed = mainSchema.safeParse(source.doc.toJS() ?? {});
  if (!parsed.success) throw schemaError(source, parsed.error);
  const main = parsed.data;
  const base = dirname(configFile);
  if (env.POSTROBOT_LOG_LEVEL) {
    const level = mainSchema.shape.log.unwrap().shape.level.safeParse(env.POSTROBOT_LOG_LEVEL);
    if (!level.success)
      throw new ConfigError(
        'POSTROBOT_LOG_LEVEL',
        'log.level',
        `"${env.POSTROBOT_LOG_LEVEL}" is not a log level`,
        'Use one of trace, debug, info, warn, error, fatal, silent.',
      );
    main.log.level = level.data;
  }
  const dataDir = env.POSTROBOT_DATA_DIR
    ? resolve(env.POSTROBOT_DATA_DIR)
    : resolve(base, main.dataDir);
  const routingFile = resolve(base, main.routingFile);
  const { routing, caseNumberPatterns } = loadRouting(routingFile);
  const imapUrl = env.POSTROBOT_IMAP_URL ?? main.imap.url;
  if (env.POSTROBOT_IMAP_URL) main.source.kind = 'imap';
  const imap = endpoint(
    configFile,
    'imap.url',
    imapUrl,
    env.POSTROBOT_IMAP_PASSWORD,
    main.imap.passwordFile,
    base,
    main.imap.allowPlaintextLoopback,
  );
  if (main.source.kind === 'imap' && !imap) {
    throw new ConfigError(
      configFile,
      'imap.url',
      'source.kind is imap but no IMAP URL is given',
      'Set imap.url or POSTROBOT_IMAP_URL (e.g. imaps://robot@mail.example.dk:993).',
    );
  }
  const smtp = endpoint(
    configFile,
    'smtp.url',
    env.POSTROBOT_SMTP_URL ?? main.smtp.url,
    env.POSTROBOT_SMTP_PASSWORD,
    main.smtp.passwordFile,
    base,
    main.smtp.allowPlaintextLoopback,
  );
  return {
    file: configFile,
    routingFile,
    main,
    routing,
    dataDir,
    inboxDir: main.source.maildir ? resolve(base, main.source.maildir) : resolve(dataDir, 'inbox'),
    modelDir: resolve(base, main.model.dir),
    imap,
    smtp,
    caseNumberPatterns,
  };
}
