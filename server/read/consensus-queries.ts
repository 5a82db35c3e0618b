// The read model behind GET /api/consensus: every followed node's GET /consensus, asked in
// parallel with a short timeout (a node that fails shows its error, the answer still comes),
// the validators named after our nodes, the equivocation evidence of all nodes and of the
// index (evidence table) as one list,
// and the last decided heights from the indexed commits. One answer is shared for `cacheMs`,
// so many open consensus pages cost the nodes one request each per interval, not one per page.
import type { PrismaClient } from '../db/client.ts';
import { NodeApiClient } from '../../lib/http/node-client.ts';
import type { ConsensusState } from '../../wire/node-api.ts';
import { EvidenceRecordSchema, MAX_LISTED_EVIDENCE, type EvidenceRecord } from '../../wire/bft.ts';
import type { ConsensusNodeView, ConsensusResponse, ConsensusValidator, DecidedHeight } from '../../wire/explorer-api.ts';

type LastCommit = ConsensusResponse['lastCommit'];
type Decided = { heights: DecidedHeight[]; lastCommit: LastCommit };

/** A node the control plane follows, as the indexer knows it. */
export interface FollowedNode {
  nodeId: string;
  name: string;
  url: string;
  publicKey: string;
  validator: boolean;
}

export interface ConsensusQueriesOptions {
  /** The nodes to ask, read at every refresh (nodes come and go). */
  nodes: () => FollowedNode[];
  /** Per-node request deadline: a slow node must not hold the page. */
  timeoutMs?: number;
  /** How long one answer is served to every caller. */
  cacheMs?: number;
  /** Decided heights listed. */
  heights?: number;
  now?: () => number;
}

type NodeAnswer = { node: FollowedNode; state: ConsensusState | null; error: string | null };

export class ConsensusQueries {
  private cached: { at: number; answer: Promise<ConsensusResponse> } | null = null;
  private readonly clients = new Map<string, NodeApiClient>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly opts: ConsensusQueriesOptions,
  ) {}

  /** The consensus view, at most `cacheMs` old; concurrent callers share one refresh. */
  view(): Promise<ConsensusResponse> {
    const now = this.now();
    if (this.cached && now - this.cached.at < (this.opts.cacheMs ?? 300)) return this.cached.answer;
    const answer = this.read(now);
    this.cached = { at: now, answer };
    // A failed read (the database) must not be served from the cache to later callers.
    answer.catch(() => {
      if (this.cached?.answer === answer) this.cached = null;
    });
    return answer;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private client(node: FollowedNode): NodeApiClient {
    let c = this.clients.get(node.url);
    if (!c) this.clients.set(node.url, (c = new NodeApiClient(node.url, { timeoutMs: this.opts.timeoutMs ?? 800 })));
    return c;
  }

  private async read(readAt: number): Promise<ConsensusResponse> {
    const nodes = this.opts.nodes();
    const [answers, decided, indexed] = await Promise.all([
      Promise.all(
        nodes.map(async (node): Promise<NodeAnswer> => {
          try {
            return { node, state: await this.client(node).consensus(), error: null };
          } catch (err) {
            return { node, state: null, error: (err as Error).message };
          }
        }),
      ),
      this.decidedHeights(this.opts.heights ?? 50),
      this.indexedEvidence(),
    ]);
    const view = assembleConsensusView(answers, decided, readAt);
    // What the nodes hold now plus what was indexed (a restarted node forgets its evidence; the index does not).
    return { ...view, evidence: unionEvidence([view.evidence, indexed]).slice(0, MAX_LISTED_EVIDENCE) };
  }

  /** The newest indexed evidence (the evidence table), as the nodes report it. */
  private async indexedEvidence(): Promise<EvidenceRecord[]> {
    const rows = await this.prisma.evidence.findMany({ orderBy: [{ height: 'desc' }, { round: 'desc' }], take: MAX_LISTED_EVIDENCE });
    return rows.flatMap((r) => {
      const parsed = EvidenceRecordSchema.safeParse({
        kind: r.kind,
        hash: r.hash,
        validator: r.validator,
        height: r.height,
        round: r.round,
        detectedAt: r.detectedAt.getTime(),
        evidence: r.payload,
      });
      return parsed.success ? [parsed.data] : [];
    });
  }

  private async decidedHeights(limit: number): Promise<Decided> {
    // The newest 2000 blocks down the height index, then their commits: bounded work even on
    // PoA, where no block has a commit and a plain join would scan every commit-less block.
    const rows = await this.prisma.$queryRaw<Array<{ height: number; hash: string; round: number; signers: number; signer_keys: string[]; committed_at: Date; timestamp: Date }>>`
      SELECT b.height, b.hash, c.round, c.signature_count AS signers, c.signers AS signer_keys, c.committed_at, b.timestamp
      FROM (SELECT hash, height, timestamp FROM blocks ORDER BY height DESC LIMIT 2000) b
      JOIN block_commits c ON c.block_hash = b.hash
      ORDER BY b.height DESC, c.committed_at ASC
      LIMIT ${limit}`;
    const heights = rows.map((r) => ({
      height: r.height,
      hash: r.hash,
      round: r.round,
      signers: r.signers,
      committedAt: r.committed_at.getTime(),
      finalizedAfterMs: Math.max(0, r.committed_at.getTime() - r.timestamp.getTime()),
    }));
    const top = rows[0];
    return { heights, lastCommit: top ? { height: top.height, hash: top.hash, round: top.round, signers: top.signer_keys } : null };
  }
}

/**
 * Pure: the nodes' answers into one view. The validator order is the engine's (the round
 * state's `validators`, the order of every vote list); on PoA, or when no node has a round
 * state, it is the followed validators in name order.
 */
export function assembleConsensusView(answers: NodeAnswer[], decided: Decided, readAt: number): ConsensusResponse {
  const byKey = new Map(answers.map((a) => [a.node.publicKey, a.node]));
  const engine = answers.find((a) => a.state)?.state?.engine ?? null;
  const order = answers.find((a) => a.state?.roundState)?.state?.roundState?.validators;
  const keys = order ?? answers.filter((a) => a.node.validator).map((a) => a.node.publicKey);
  const validators: ConsensusValidator[] = keys.map((publicKey) => {
    const node = byKey.get(publicKey);
    return { publicKey, name: node?.name ?? null, nodeId: node?.nodeId ?? null };
  });
  if (!order) validators.sort((a, b) => (a.name ?? a.publicKey).localeCompare(b.name ?? b.publicKey, undefined, { numeric: true }));

  const nodes: ConsensusNodeView[] = answers
    .map(({ node, state, error }) => ({ nodeId: node.nodeId, name: node.name, status: state?.status ?? null, roundState: state?.roundState ?? null, error }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));

  return { engine, readAt, validators, nodes, evidence: unionEvidence(answers.map((a) => a.state?.evidence ?? [])), ...decided };
}

/** Every node's evidence as one list: one record per offence (its hash), earliest detection kept, newest first. */
export function unionEvidence(lists: EvidenceRecord[][]): EvidenceRecord[] {
  const byHash = new Map<string, EvidenceRecord>();
  for (const list of lists) {
    for (const e of list) {
      const seen = byHash.get(e.hash);
      if (!seen || e.detectedAt < seen.detectedAt) byHash.set(e.hash, e);
    }
  }
  return [...byHash.values()].sort((a, b) => b.height - a.height || b.round - a.round || b.detectedAt - a.detectedAt);
}
