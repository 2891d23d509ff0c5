import { z } from 'zod';
import {
  metricsSchema,
  noticesSchema,
  reportSchema,
  retentionSchema,
} from '../ops/config-schema.js';
import { ocrSchema } from '../pdf/ocr/options.js';

/** A text matcher in a routing rule: a literal, any of several, all of several, or a regex. */
export const textMatcherSchema = z.union([
  z.string().min(1),
  z.strictObject({ any: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ all: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ regex: z.string().min(1) }),
]);
export type TextMatcher = z.infer<typeof textMatcherSchema>;

export const ruleSchema = z.strictObject({
  /** Shown in the reasons of every decision the rule makes. */
  name: z.string().min(1),
  /** An area id, or "manual" for "a person decides". */
  area: z.string().min(1),
  match: z.strictObject({
    from: textMatcherSchema.optional(),
    domain: textMatcherSchema.optional(),
    subject: textMatcherSchema.optional(),
    body: textMatcherSchema.optional(),
    attachment: textMatcherSchema.optional(),
  }),
});
export type Rule = z.infer<typeof ruleSchema>;

/** Domain knowledge: terms that speak for an area, with a weight; summed as evidence. */
export const evidenceSchema = z.strictObject({
  name: z.string().min(1),
  weight: z.number().min(-10).max(10).default(1),
  terms: z.array(z.string().min(1)).min(1),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const areaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens only'),
  name: z.string().min(1),
  folder: z.string().min(1),
  addresses: z.array(z.email()).default([]),
  /** Confidence needed to route without a person; overrides the model's stored threshold. */
  threshold: z.number().min(0).max(1).optional(),
  evidence: z.array(evidenceSchema).default([]),
});
export type Area = z.infer<typeof areaSchema>;

export const caseNumberPatternSchema = z.strictObject({
  name: z.string().min(1),
  /** Must have the named groups `year` and `number`; matched case-insensitively. */
  regex: z.string().min(1),
});

const loopGuardTarget = z.enum(['manual', 'quarantine']);

export const routingSchema = z.strictObject({
  folders: z
    .strictObject({
      manual: z.string().min(1).default('Manuel fordeling'),
      quarantine: z.string().min(1).default('Karantæne'),
    })
    .default({ manual: 'Manuel fordeling', quarantine: 'Karantæne' }),
  caseNumbers: z.strictObject({
    patterns: z.array(caseNumberPatternSchema).min(1),
  }),
  loopGuard: z
    .strictObject({
      'auto-reply': loopGuardTarget.default('manual'),
      bounce: loopGuardTarget.default('manual'),
      bulk: loopGuardTarget.default('manual'),
      'own-forward': loopGuardTarget.default('manual'),
    })
    .default({ 'auto-reply': 'manual', bounce: 'manual', bulk: 'manual', 'own-forward': 'manual' }),
  /** Confidence needed to route when neither the area nor the model sets one. */
  defaultThreshold: z.number().min(0).max(1).default(0.9),
  /** Precision the model's thresholds are chosen to meet. */
  targetPrecision: z.number().min(0.5).max(1).default(0.98),
  /** Final check on every forward's envelope: an address must end with one of these. */
  forwardAllowlist: z.array(z.string().min(1)).default([]),
  areas: z.array(areaSchema).min(1),
  rules: z.array(ruleSchema).default([]),
});
export type RoutingConfig = z.infer<typeof routingSchema>;

export const mainSchema = z.strictObject({
  /** Where the ledger, the mail store and the embedded inbox live. */
  dataDir: z.string().min(1).default('var'),
  /** The routing file, relative to this file. */
  routingFile: z.string().min(1).default('routing.yaml'),
  /** Decide and record everything, act on nothing. */
  shadow: z.boolean().default(false),
  source: z
    .strictObject({
      kind: z.enum(['maildir', 'imap']).default('maildir'),
      /** The Maildir inbox; <dataDir>/inbox when not set. */
      maildir: z.string().min(1).nullable().default(null),
      pollIntervalSeconds: z.number().min(0.05).max(3600).default(2),
    })
    .default({ kind: 'maildir', maildir: null, pollIntervalSeconds: 2 }),
  imap: z
    .strictObject({
      /** imaps://user@host:993, or imap://user@host:143 with STARTTLS; plain only on loopback. */
      url: z.string().nullable().default(null),
      passwordFile: z.string().nullable().default(null),
      mailbox: z.string().min(1).default('INBOX'),
      /** password, or xoauth2 with an access token from tokenFile or tokenCommand (read at each login). */
      auth: z.enum(['password', 'xoauth2']).default('password'),
      tokenFile: z.string().nullable().default(null),
      tokenCommand: z.string().nullable().default(null),
      /** Allow imap:// without TLS, only ever to 127.0.0.1, ::1 or localhost. */
      allowPlaintextLoopback: z.boolean().default(true),
      /** IDLE is re-issued after this long, well within the 29 minutes of RFC 2177. */
      maxIdleSeconds: z.number().min(10).max(1740).default(300),
      /** A connection quiet for this long is taken for dead and replaced. */
      socketTimeoutSeconds: z.number().min(10).max(3600).default(600),
      /** Waits before reconnecting grow from this, doubled per failure, up to reconnectMaxSeconds. */
      reconnectBaseSeconds: z.number().min(0.05).max(600).default(1),
      reconnectMaxSeconds: z.number().min(0.1).max(3600).default(300),
    })
    .prefault({}),
  smtp: z
    .strictObject({
      /** smtps://user@relay:465, or smtp://user@relay:587 with STARTTLS; plain only on loopback. */
      url: z.string().nullable().default(null),
      passwordFile: z.string().nullable().default(null),
      from: z.email().default('postrobot@ast.dk'),
      allowPlaintextLoopback: z.boolean().default(true),
      /** Seconds to wait for the relay before the attempt counts as failed (and is retried). */
      timeoutSeconds: z.number().min(1).max(600).default(60),
    })
    .prefault({}),
  limits: z
    .strictObject({
      maxMessageBytes: z
        .number()
        .int()
        .min(1024)
        .default(40 * 1024 * 1024),
      maxAttachments: z.number().int().min(1).default(100),
    })
    .default({ maxMessageBytes: 40 * 1024 * 1024, maxAttachments: 100 }),
  outbox: z
    .strictObject({
      /** Waits between attempts of a failed action; the last one repeats. */
      retryDelaysSeconds: z.array(z.number().min(0)).min(1).default([5, 30, 120, 600, 1800, 3600]),
      maxAttempts: z.number().int().min(1).default(20),
    })
    .default({ retryDelaysSeconds: [5, 30, 120, 600, 1800, 3600], maxAttempts: 20 }),
  log: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
      /** auto: readable on a terminal, JSON otherwise. */
      format: z.enum(['auto', 'json', 'pretty']).default('auto'),
    })
    .default({ level: 'info', format: 'auto' }),
  model: z
    .strictObject({
      /** The trained model; rules alone when it is missing. Relative to the config file. */
      dir: z.string().min(1).default('../models/default'),
    })
    .default({ dir: '../models/default' }),
  metrics: metricsSchema,
  retention: retentionSchema,
  notices: noticesSchema,
  report: reportSchema,
  ocr: ocrSchema,
});
export type MainConfig = z.infer<typeof mainSchema>;
