import type {
  CaseNumberHit,
  Classification,
  ClassifierInput,
  ExtractedMail,
  ParsedMail,
  Reason,
} from '../types.js';
import { evidenceConfidence, scoreEvidence } from './evidence.js';
import { toClassifierInput } from './extract.js';
import type { CompiledRouting } from './routing.js';
import { foldSubject, type RuleSubject } from './rules.js';

/** What a trained model says about a mail; see src/classifier for the model itself. */
export interface ModelOpinion {
  area: string | null;
  probability: number;
  probabilities: Record<string, number>;
  threshold: number;
  topFeatures: string[];
}

export interface ModelLike {
  /**
   * `evidence` (area id → routing.yaml evidence score) is blended into the model's scores
   * with the weight learnt at training, and the calibration and thresholds are those
   * chosen for the blend (src/classifier/calibrate.ts).
   */
  predict(input: ClassifierInput, evidence?: Record<string, number>): ModelOpinion;
}

/** Read-only look-ups the classifier needs from the journal, passed in so that it stays pure. */
export interface ClassifyContext {
  routing: CompiledRouting;
  knownCase(caseNumber: string): { area: string | null } | undefined;
  /** The case number of a mail we know by its Message-ID (for References/In-Reply-To). */
  caseOfReferencedMail(messageIds: string[]): string | null;
  /** Whether this sender has written on the case before. */
  isPartyOnCase(caseNumber: string, sender: string | null): boolean;
  model: ModelLike | null;
}

/** Evidence for another area that overrules a known case number when the sender is new to the case. */
const CLEARLY_ELSEWHERE_SCORE = 6;

function ruleSubject(mail: ParsedMail, extracted: ExtractedMail): RuleSubject {
  return {
    from: extracted.senderAddress ?? '',
    domain: extracted.senderDomain ?? '',
    subject: mail.subject,
    body: extracted.bodyText,
    attachment: extracted.attachmentNames.join('\n'),
  };
}

/** The case number that decides: subject, then a mail we know that this one answers, then body, attachments, quoted history. */
function pickCaseNumber(
  mail: ParsedMail,
  extracted: ExtractedMail,
  ctx: ClassifyContext,
): { hit: CaseNumberHit | null; known: boolean } {
  const order: CaseNumberHit['source'][] = [
    'subject',
    'references',
    'body',
    'attachment',
    'quoted',
  ];
  const referenced = ctx.caseOfReferencedMail([
    ...(mail.inReplyTo ? [mail.inReplyTo] : []),
    ...mail.references,
  ]);
  const hits: CaseNumberHit[] = [...extracted.caseNumbers];
  if (referenced)
    hits.push({ caseNumber: referenced, source: 'references', pattern: 'references' });
  const sorted = [...hits].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
  const known = sorted.find((hit) => ctx.knownCase(hit.caseNumber) !== undefined);
  if (known) return { hit: known, known: true };
  const own = sorted.find((hit) => hit.source !== 'quoted');
  return { hit: own ?? null, known: false };
}

/**
 * With a model, its opinion already is the calibrated blend of text and evidence (the
 * model learnt how much evidence adds, on held-out mail), so it is taken as it is: a
 * second, hand-made blend on top would undo the calibration that the thresholds rest on.
 * Without a model, evidence alone decides (its confidence is not calibrated, so the
 * configured default threshold applies).
 */
function blend(
  evidence: Record<string, number>,
  model: ModelOpinion | null,
): { area: string | null; confidence: number } {
  const fromEvidence = evidenceConfidence(evidence);
  if (!model || model.area === null) return fromEvidence;
  return { area: model.area, confidence: model.probability };
}

/** Rules, then a known case number, then evidence and the model. Pure: look-ups come in through ctx. */
export function classify(
  mail: ParsedMail,
  extracted: ExtractedMail,
  ctx: ClassifyContext,
): Classification {
  const input = toClassifierInput(mail, extracted);
  const evidence = scoreEvidence(input, ctx.routing.evidence);
  const { hit, known } = pickCaseNumber(mail, extracted, ctx);
  const caseNumber = hit?.caseNumber ?? null;
  const reasons: Reason[] = [];

  if (hit && known) {
    const caseArea = ctx.knownCase(hit.caseNumber)?.area ?? null;
    reasons.push({
      kind: 'case-number',
      detail: `sag ${hit.caseNumber} (${hit.source}, ${hit.pattern}) hører til ${caseArea ?? 'intet område'}`,
      area: caseArea,
    });
    const elsewhere = Object.entries(evidence.scores).find(
      ([area, score]) =>
        area !== caseArea &&
        score >= CLEARLY_ELSEWHERE_SCORE &&
        (evidence.scores[caseArea ?? ''] ?? 0) === 0,
    );
    if (elsewhere && !ctx.isPartyOnCase(hit.caseNumber, extracted.senderAddress)) {
      reasons.push({
        kind: 'case-conflict',
        detail: `teksten peger på ${elsewhere[0]}, og afsenderen er ikke part i sagen`,
        area: elsewhere[0],
      });
      return {
        area: caseArea,
        confidence: 0.5,
        caseNumber,
        reasons: [...reasons, ...evidence.reasons],
        forceManual: true,
      };
    }
    if (caseArea) return { area: caseArea, confidence: 1, caseNumber, reasons };
  } else if (hit) {
    reasons.push({
      kind: 'case-number',
      detail: `sag ${hit.caseNumber} (${hit.source}, ${hit.pattern}) er ikke kendt`,
      area: null,
    });
  }

  const subject = ruleSubject(mail, extracted);
  const folded = foldSubject(subject);
  const rule = ctx.routing.rules.find((candidate) => candidate.matches(subject, folded));
  if (rule) {
    reasons.push({ kind: 'rule', detail: rule.name, area: rule.area });
    if (rule.area === 'manual')
      return { area: null, confidence: 1, caseNumber, reasons, forceManual: true };
    return { area: rule.area, confidence: 1, caseNumber, reasons };
  }

  const opinion = ctx.model ? ctx.model.predict(input, evidence.scores) : null;
  if (opinion) {
    reasons.push({
      kind: 'model',
      detail: `${opinion.area ?? 'intet'} ${opinion.probability.toFixed(3)} (tekst og evidens): ${opinion.topFeatures.slice(0, 5).join(', ')}`,
      area: opinion.area,
      weight: opinion.probability,
    });
  }
  const blended = blend(evidence.scores, opinion);
  if (blended.area === 'manual')
    return {
      area: null,
      confidence: blended.confidence,
      caseNumber,
      reasons: [...reasons, ...evidence.reasons],
      forceManual: true,
    };
  const modelThreshold =
    opinion && opinion.area === blended.area ? { modelThreshold: opinion.threshold } : {};
  return {
    area: blended.area,
    confidence: blended.confidence,
    caseNumber,
    reasons: [...reasons, ...evidence.reasons],
    ...modelThreshold,
  };
}
