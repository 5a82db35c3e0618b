// The contract of chaos actions: what POST /api/chaos accepts (zod, so the server validates
// and the UI builds bodies from the same types) and how recorded actions look.
import { z } from 'zod';

const NodeId = z.string().min(1, 'node id required').max(64);
/** Optional: the action reverts itself after this many seconds. */
const Duration = { durationSec: z.number().int().min(1).max(24 * 3600).optional() };

/** Which links a link fault applies to: one directed link, every link of a node, or all. */
export const LinkTargetSchema = z
  .object({
    from: NodeId.optional(),
    to: NodeId.optional(),
    node: NodeId.optional(),
  })
  .refine((t) => !(t.node && (t.from || t.to)), 'give either node, or from/to, not both')
  .default({});
export type LinkTarget = z.infer<typeof LinkTargetSchema>;

export const ChaosActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('partition'),
    groups: z.array(z.array(NodeId).min(1)).min(2, 'a partition needs at least two groups'),
    /** One-way: the first group cannot hear the others, but the others still hear it. */
    oneWay: z.boolean().default(false),
    ...Duration,
  }),
  z.object({ kind: z.literal('heal'), /** Revert one action by id; without it, heal everything. */ actionId: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('latency'), target: LinkTargetSchema, delayMs: z.number().int().min(1).max(60_000), jitterMs: z.number().int().min(0).max(60_000).default(0), ...Duration }),
  z.object({ kind: z.literal('loss'), target: LinkTargetSchema, pct: z.number().min(0.1).max(100), ...Duration }),
  z.object({ kind: z.literal('duplicate'), target: LinkTargetSchema, pct: z.number().min(0.1).max(100), ...Duration }),
  z.object({ kind: z.literal('bandwidth'), target: LinkTargetSchema, bytesPerSec: z.number().int().min(100).max(1_000_000_000), ...Duration }),
  z.object({ kind: z.literal('pause'), node: NodeId, ...Duration }),
  z.object({ kind: z.literal('resume'), node: NodeId }),
  z.object({ kind: z.literal('clock-skew'), node: NodeId, offsetMs: z.number().int().min(-3_600_000).max(3_600_000), ...Duration }),
  z.object({ kind: z.literal('kill'), node: NodeId }),
  z.object({ kind: z.literal('restart'), node: NodeId }),
  z.object({ kind: z.literal('add-node') }),
]);
export type ChaosAction = z.infer<typeof ChaosActionSchema>;
export type ChaosKind = ChaosAction['kind'];

export interface ChaosRecord {
  id: number;
  at: number;
  actor: string;
  kind: ChaosKind;
  params: Record<string, unknown>;
  /** Node ids the action touched. */
  targets: string[];
  status: 'applied' | 'failed' | 'reverted' | 'partial';
  /** Per node: 'ok' or the error. */
  result: Record<string, string> | null;
  expiresAt: number | null;
  revertedAt: number | null;
}

export interface ChaosResponse {
  active: ChaosRecord[];
  history: ChaosRecord[];
}

export interface ChaosActionResponse {
  action: ChaosRecord;
}

export interface SessionResponse {
  authorised: boolean;
}
