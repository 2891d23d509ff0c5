import type { RoutingConfig } from '../config/schema.js';
import type { AutomaticKind, Classification, Decision } from '../types.js';

/** The confidence an area needs: the area's own setting, else the model's, else the default. */
export function thresholdFor(
  routing: RoutingConfig,
  area: string,
  modelThreshold: number | null,
): number {
  const configured = routing.areas.find((candidate) => candidate.id === area)?.threshold;
  return configured ?? modelThreshold ?? routing.defaultThreshold;
}

/** Route, leave to a person, or quarantine. Pure. */
export function decide(
  classification: Classification,
  automatic: AutomaticKind | null,
  routing: RoutingConfig,
  modelThreshold: number | null = null,
): Decision {
  const base = {
    area: classification.area,
    confidence: classification.confidence,
    caseNumber: classification.caseNumber,
  };
  if (automatic) {
    const target = routing.loopGuard[automatic];
    return {
      ...base,
      kind: target === 'quarantine' ? 'quarantine' : 'manual',
      folder: target === 'quarantine' ? routing.folders.quarantine : routing.folders.manual,
      forwardTo: [],
      reasons: [
        { kind: 'loop-guard', detail: `automatisk post (${automatic}) videresendes aldrig` },
        ...classification.reasons,
      ],
    };
  }
  const area = classification.area
    ? routing.areas.find((candidate) => candidate.id === classification.area)
    : undefined;
  if (!area || classification.forceManual) {
    return {
      ...base,
      kind: 'manual',
      folder: routing.folders.manual,
      forwardTo: [],
      reasons: classification.reasons,
    };
  }
  const threshold = thresholdFor(routing, area.id, modelThreshold);
  if (classification.confidence < threshold) {
    return {
      ...base,
      kind: 'manual',
      folder: routing.folders.manual,
      forwardTo: [],
      reasons: [
        ...classification.reasons,
        {
          kind: 'threshold',
          detail: `sikkerhed ${classification.confidence.toFixed(3)} under tærsklen ${threshold} for ${area.id}`,
          area: area.id,
        },
      ],
    };
  }
  return {
    ...base,
    kind: 'route',
    folder: area.folder,
    forwardTo: [...area.addresses],
    reasons: classification.reasons,
  };
}

/** The decision for a mail that could not be read or broke a stage. */
export function quarantineDecision(
  routing: RoutingConfig,
  code: string,
  message: string,
): Decision {
  return {
    kind: 'quarantine',
    area: null,
    confidence: 0,
    caseNumber: null,
    folder: routing.folders.quarantine,
    forwardTo: [],
    reasons: [{ kind: 'quarantine', detail: `${code}: ${message}` }],
  };
}
