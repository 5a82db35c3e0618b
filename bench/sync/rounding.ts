// Number shaping shared by the sync benchmark's figures.

export const round = (n: number, digits = 0): number => Number(n.toFixed(digits));

/** ms per 1,000 blocks, or null when unknown. */
export function perThousand(ms: number | null, blocks: number): number | null {
  return ms === null || blocks === 0 ? null : round((ms * 1000) / blocks);
}
