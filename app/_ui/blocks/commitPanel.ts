// The words and links of a block page's "Commit" panel (BFT blocks): pure, so they are unit
// tested without a browser.
import type { BlockCommit } from '../../../wire/explorer-api.ts';

/** "3 of 4 validators signed (quorum 3)", or "3 validators signed" when the set's size is unknown. */
export function signedSentence(commit: BlockCommit): string {
  const n = commit.signatures;
  const who = `validator${n === 1 && commit.validators === undefined ? '' : 's'}`;
  if (commit.validators === undefined) return `${n} ${who} signed`;
  return `${n} of ${commit.validators} ${who} signed${commit.quorum !== undefined ? ` (quorum ${commit.quorum})` : ''}`;
}

/** Time to finality: "450 ms", "1.25 s", "12.4 s", then "2 min 5 s". */
export function finalityText(ms: number): string {
  const v = Math.max(0, Math.round(ms));
  if (v < 1000) return `${v} ms`;
  if (v < 10_000) return `${(v / 1000).toFixed(2)} s`;
  if (v < 60_000) return `${(v / 1000).toFixed(1)} s`;
  const s = Math.round(v / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export interface SignerRow {
  publicKey: string;
  /** The signer's node name, when the control plane knows it. */
  name: string | null;
  /** The node page to link to, when the node is known. */
  nodeId: string | null;
}

/**
 * Each signer with the node to link to: a node id is the first 16 hex digits of its public
 * key, so a key matches a known node by id first, then by the name the API gave.
 */
export function signerRows(commit: BlockCommit, nodes: ReadonlyArray<{ id: string; name: string }>): SignerRow[] {
  return commit.signers.map(({ publicKey, name }) => {
    const node = nodes.find((n) => n.id === publicKey.slice(0, 16)) ?? (name !== null ? nodes.find((n) => n.name === name) : undefined);
    return { publicKey, name: name ?? node?.name ?? null, nodeId: node?.id ?? null };
  });
}
