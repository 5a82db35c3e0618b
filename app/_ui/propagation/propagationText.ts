// Words and scales of the propagation views (block page bars, overview panel), pure so they
// are unit-tested: delays in ms at a precision that suits their size, histogram bucket
// labels, the stale-rate sentence, and what a block page says of a node without a receipt.
import type { BlockReceiptView, PropagationBucket, StaleRate } from '../../../wire/explorer-api.ts';

/** A delay: sub-ms on loopback, hundreds of ms on a slowed link, seconds on a partition. */
export function formatMs(ms: number): string {
  if (ms < 0.01) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** An edge with its unit: 500 → "500 ms", 2000 → "2 s". */
function edge(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** "<1 ms", "2–5 ms", "500 ms–1 s", "1–2 s", "≥5 s". */
export function bucketLabel(b: PropagationBucket): string {
  if (b.toMs === null) return `≥${edge(b.fromMs)}`;
  if (b.fromMs === 0) return `<${edge(b.toMs)}`;
  if (b.toMs < 1000) return `${b.fromMs}–${b.toMs} ms`;
  if (b.fromMs >= 1000) return `${b.fromMs / 1000}–${b.toMs / 1000} s`;
  return `${edge(b.fromMs)}–${edge(b.toMs)}`;
}

/** The histogram without the empty buckets above the last one used (a fast network ends early); at least through 10 ms so the scale reads. */
export function visibleBuckets(buckets: readonly PropagationBucket[]): PropagationBucket[] {
  let last = buckets.findIndex((b) => b.toMs !== null && b.toMs >= 10);
  for (let i = buckets.length - 1; i > last; i--) {
    if (buckets[i].count > 0) {
      last = i;
      break;
    }
  }
  return buckets.slice(0, last + 1);
}

/** A percentage with the precision a rate of a few in hundreds needs. */
export function percent(rate: number): string {
  const p = rate * 100;
  if (p === 0) return '0 %';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

/** What counts as stale, in full (the stale rate's title and legend). */
export const STALE_DEFINITION =
  "A stale block is one no node's current chain holds: it lost a fork. Heights no chain covers yet are left out, " +
  'and fork blocks a node still holds (the network is split) are not stale yet.';

/** "1.4 % (2 of 143 blocks at heights 401–500)" or why there is no rate yet. */
export function staleSentence(s: StaleRate): string {
  if (s.rate === null || s.fromHeight === null || s.toHeight === null) return 'no blocks indexed yet';
  return `${percent(s.rate)} (${s.stale} of ${s.blocks} block${s.blocks === 1 ? '' : 's'} at heights ${s.fromHeight}–${s.toHeight})`;
}

/** A block this young may still reach the nodes that lack it: the page asks again, and says "not yet". */
export const RECEIPTS_SETTLE_MS = 60_000;

/** Whether a block page should keep asking for receipts: some node lacks the block, and it is young. */
export function receiptsPending(receipts: readonly BlockReceiptView[], blockTimestamp: number, now: number): boolean {
  return now - blockTimestamp < RECEIPTS_SETTLE_MS && receipts.some((r) => r.acceptedAt === null && !r.holds);
}

/** What the block page says beside a node's bar (`pending`: the block is young, a missing receipt may still come). */
export function receiptText(r: BlockReceiptView, pending = false): string {
  if (r.afterFirstMs === null) return r.holds ? 'no live receipt: got it while catching up' : pending ? 'not received yet' : 'never received it';
  return r.afterFirstMs === 0 ? 'first' : `+${formatMs(r.afterFirstMs)}`;
}

/** Bar length in % of the track: the latest receipt fills it; the first is a tick (0 %). */
export function barPercent(afterFirstMs: number, maxMs: number): number {
  if (maxMs <= 0) return 0;
  return Math.min(100, (afterFirstMs / maxMs) * 100);
}
