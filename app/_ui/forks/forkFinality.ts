// BFT finality on the fork tree: which drawn block is each node's finalized tip, and the
// sentence that sums it up. Pure, unit-tested; absent data (PoA) yields nothing to draw.
import type { ForksResponse } from '../../../wire/explorer-api.ts';

export type FinalityPoint = NonNullable<ForksResponse['finality']>[number];

const byName = (a: FinalityPoint, b: FinalityPoint) => a.name.localeCompare(b.name, undefined, { numeric: true });

/** Block hash → the nodes whose finalized tip it is (drawn blocks only), and those not drawn. */
export function finalityAt(finality: readonly FinalityPoint[] | undefined, drawn: (hash: string) => boolean): { at: Map<string, FinalityPoint[]>; missing: FinalityPoint[] } {
  const at = new Map<string, FinalityPoint[]>();
  const missing: FinalityPoint[] = [];
  for (const f of finality ?? []) {
    if (drawn(f.hash)) at.set(f.hash, [...(at.get(f.hash) ?? []), f].sort(byName));
    else missing.push(f);
  }
  return { at, missing: missing.sort(byName) };
}

/** "Finalized: up to #57 on every node" / "… node-1 #57, node-2 #55"; null without finality (PoA). */
export function finalitySentence(res: Pick<ForksResponse, 'finality' | 'blocks'>): string | null {
  if (!res.finality) return null;
  const finalBlocks = res.blocks.filter((b) => b.finalized).length;
  const drawn = `${finalBlocks} of ${res.blocks.length} drawn blocks final`;
  if (res.finality.length === 0) return `Finality: ${drawn}; no node reports a finalized block yet.`;
  const heights = new Set(res.finality.map((f) => f.height));
  if (heights.size === 1) return `Finality: ${drawn}; every node finalized up to #${res.finality[0].height}.`;
  return `Finality: ${drawn}; ${[...res.finality]
    .sort(byName)
    .map((f) => `${f.name} #${f.height}`)
    .join(', ')}.`;
}
