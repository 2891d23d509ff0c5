import type { Journal } from '../journal/journal.js';
import type { ClassifyContext, ModelLike } from '../pipeline/classify.js';
import type { CompiledRouting } from '../pipeline/routing.js';

/** The look-ups the classifier needs, read from the journal as it is now. */
export function classifyContext(
  journal: Pick<Journal, 'getCase' | 'findByMessageIdHeader' | 'listMessages'> | null,
  routing: CompiledRouting,
  model: ModelLike | null,
): ClassifyContext {
  return {
    routing,
    model,
    knownCase: (caseNumber) => {
      const found = journal?.getCase(caseNumber);
      return found ? { area: found.area } : undefined;
    },
    caseOfReferencedMail: (messageIds) =>
      journal?.findByMessageIdHeader(messageIds).find((m) => m.caseNumber)?.caseNumber ?? null,
    isPartyOnCase: (caseNumber, sender) =>
      sender !== null &&
      (journal
        ?.listMessages({ caseNumber })
        .some((m) => m.sender?.toLowerCase() === sender.toLowerCase()) ??
        false),
  };
}
