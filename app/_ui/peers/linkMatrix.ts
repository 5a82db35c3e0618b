// The link matrix: one row per reporting node, one column per peer; a cell is the row node's own
// report of its link to the column node (so a one-way fault shows on one side of the diagonal).
// Pure: the view only draws it. Sized so 64 nodes still fit: cells shrink, labels thin out.
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { linkTone, type LinkTone } from './linkHealth.ts';
import { reportState, stateRank, type LinkState } from './linkState.ts';

export type CellState = LinkState | 'none';

export interface MatrixNode {
  id: string;
  name: string;
}

export interface MatrixCell {
  row: string;
  col: string;
  state: CellState;
  /** RTT band of a connected link (shading); null when not connected. */
  tone: LinkTone | null;
  rttMs: number | null;
  /** Active faults on the link, and those that block it (both ends' reports, each once). */
  faults: string[];
  blockedBy: string[];
  /** The row node's report of the link, and the column node's report of the same link. */
  fromRow: PeerLinkInfo | null;
  fromCol: PeerLinkInfo | null;
}

export interface MatrixRow {
  node: MatrixNode;
  /** The node's peers that count: links that carried traffic lately. */
  counted: number;
  /** One per node, in node order; null on the diagonal. */
  cells: Array<MatrixCell | null>;
}

export interface LinkMatrixModel {
  nodes: MatrixNode[];
  rows: MatrixRow[];
  /** How many cells are in each state (the diagonal left out). */
  totals: Record<CellState, number>;
}

/** A reporter may list one peer twice (a live link and a departed one): the liveliest report wins. */
function best(a: PeerLinkInfo | undefined, b: PeerLinkInfo): PeerLinkInfo {
  if (!a) return b;
  return stateRank[reportState(b)] < stateRank[reportState(a)] ? b : a;
}

export function linkMatrix(nodes: readonly MatrixNode[], links: readonly PeerLinkInfo[]): LinkMatrixModel {
  const reports = new Map<string, PeerLinkInfo>();
  for (const l of links) {
    if (!l.peerId || l.peerId === l.nodeId) continue;
    const key = `${l.nodeId}|${l.peerId}`;
    reports.set(key, best(reports.get(key), l));
  }
  const totals: Record<CellState, number> = { connected: 0, blocked: 0, silent: 0, down: 0, none: 0 };
  const rows = nodes.map((node): MatrixRow => {
    let counted = 0;
    const cells = nodes.map((peer): MatrixCell | null => {
      if (peer.id === node.id) return null;
      const fromRow = reports.get(`${node.id}|${peer.id}`) ?? null;
      const fromCol = reports.get(`${peer.id}|${node.id}`) ?? null;
      const state: CellState = fromRow ? reportState(fromRow) : 'none';
      if (state === 'connected') counted++;
      totals[state]++;
      const faults = [...new Set([...(fromRow?.faults ?? []), ...(fromCol?.faults ?? [])])];
      const blockedBy = [...new Set([...(fromRow?.blockedBy ?? []), ...(fromCol?.blockedBy ?? [])])];
      return {
        row: node.id,
        col: peer.id,
        state,
        tone: state === 'connected' && fromRow ? linkTone({ ...fromRow, errors: 0 }) : null,
        rttMs: state === 'connected' ? (fromRow?.rttMs ?? null) : null,
        faults,
        blockedBy,
        fromRow,
        fromCol,
      };
    });
    return { node, counted, cells };
  });
  return { nodes: [...nodes], rows, totals };
}

/** Cell edge in px: roomy for a few nodes, down to 9 px so 64 fit in about 600 px. */
export function cellSize(n: number): number {
  return Math.max(9, Math.min(28, Math.floor(600 / Math.max(1, n))));
}

/** Every how many rows and columns a name is written: all up to 16 nodes, then fewer. */
export function labelEvery(n: number): number {
  if (n <= 16) return 1;
  if (n <= 32) return 2;
  return 4;
}
