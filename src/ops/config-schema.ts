import { z } from 'zod';

/** The metrics and health endpoint. Bound to loopback: it is scraped by a local agent, never exposed. */
export const metricsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(9751),
    /** /healthz answers 503 when the source has not been reached for this long. */
    maxSourceSilenceSeconds: z.number().min(1).default(600),
  })
  .prefault({});

/**
 * How long things are kept, in days; null keeps them for ever. Nothing is deleted by
 * default: the authority's archive rules decide, and they must be written down here.
 */
export const retentionSchema = z
  .strictObject({
    /** Raw mail (.eml) in the mail store, counted from when it was received. */
    rawMailDays: z.number().int().min(1).nullable().default(null),
    /** Documents of a case with no new document for this long, and new post without a case. */
    documentsDays: z.number().int().min(1).nullable().default(null),
    /** Audit events (and the CPR look-up index, which only serves them). */
    eventsDays: z.number().int().min(1).nullable().default(null),
    /** Log files in logDir (journald keeps its own; see deploy/). */
    logsDays: z.number().int().min(1).nullable().default(null),
    logDir: z.string().min(1).nullable().default(null),
    /** Hour of the day (local time) the daily job runs. */
    hour: z.number().int().min(0).max(23).default(3),
  })
  .prefault({});

/** Caseworker notices and the areas' daily digest, sent through smtp. */
export const noticesSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** New documents wait this long so that a burst of post on a case becomes one notice. */
    batchSeconds: z.number().min(0).default(600),
    /** Where a caseworker finds the case bundle: a URL or path with {case} in it. */
    bundleLink: z.string().min(1).default('{dataDir}/bundles/{case}.pdf'),
    /** The bundle is attached when it exists and is at most this large; 0 never attaches. */
    attachBundleMaxBytes: z
      .number()
      .int()
      .min(0)
      .default(5 * 1024 * 1024),
    /** Hour of the day (local time) the areas' digest of new post without a case is sent; null: never. */
    digestHour: z.number().int().min(0).max(23).nullable().default(7),
  })
  .prefault({});

export const reportSchema = z
  .strictObject({
    /** Share of mail the robot should route without a person; drawn as the target line. */
    targetRouteRate: z.number().min(0).max(1).default(0.8),
  })
  .prefault({});
