// KNOWN_OPEN: defects the fuzz tests find that other branches are fixing right now (issue 13,
// "Proof": the router, auth and read-model fixes). Each entry matches exactly the answers of
// one defect, so every other 5xx still fails the fuzz tests. The coordinator deletes each
// entry when its fix is merged; the fuzz tests then prove the fix.
import type { FuzzAnswer, FuzzRequest } from './route-requests.ts';

export interface KnownOpen {
  issue: string;
  what: string;
  matches(req: FuzzRequest, res: FuzzAnswer): boolean;
}

// Empty: the fixes of issue #13's first round (bad %-encoding, heights above int4, dates out of
// range, NUL bytes: wire/bounded-input.ts and the router) are in main, and these fuzz tests now
// prove them. Add an entry (issue, what, an exact matcher) only for a defect being fixed elsewhere.
export const KNOWN_OPEN: KnownOpen[] = [];

/** The known-open defect an answer is an instance of, if any. */
export function knownOpen(req: FuzzRequest, res: FuzzAnswer): KnownOpen | undefined {
  const known = KNOWN_OPEN.find((k) => k.matches(req, res));
  if (known) {
    const key = `${known.issue} (${req.route ?? 'no route'})`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  return known;
}

const hits = new Map<string, number>();

/** How often each known-open defect showed up in this process (printed by the fuzz tests). */
export function knownOpenHits(): Record<string, number> {
  return Object.fromEntries(hits);
}
