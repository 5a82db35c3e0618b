// The contract of chaos actions: what POST /api/chaos accepts (zod, so the server validates
// and the UI builds bodies from the same types) and how recorded actions look.
import { z } from 'zod';
import { TextInput } from './bounded-input.ts';

/** A node, by its id or its name (the control plane maps names to ids, server/control/node-names.ts). */
const NodeId = TextInput(64).min(1, 'node id or name required');
/** Optional: the action reverts itself after this many seconds. */
const Duration = {
  durationSec: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .optional(),
};

/** Which links a link fault applies to: one directed link, every link of a node, or all. */
/** Optional on random link faults: netem's correlation (percent, how much the next decision
 *  depends on the previous one), and a seed that makes the link's decisions reproducible. */
const Correlated = { correlation: z.number().min(0).max(100).optional() };
const Seeded = { seed: z.number().int().min(0).max(0xffffffff).optional() };

export const LinkTargetSchema = z
  .object({
    from: NodeId.optional(),
    to: NodeId.optional(),
    node: NodeId.optional(),
  })
  .refine((t) => !(t.node && (t.from || t.to)), 'give either node, or from/to, not both')
  .default({});
export type LinkTarget = z.infer<typeof LinkTargetSchema>;

/**
 * Which nodes a node-targeted fault hits, resolved by the controller when it applies the action
 * (server/control/target-selectors.ts): one node, the largest strict minority, fewer than a third
 * (the BFT fault threshold f < n/3), a majority, all, k at random, or explicit ids.
 */
export const TargetSelectorSchema = z.discriminatedUnion('pick', [
  z.object({ pick: z.enum(['one', 'minority', 'minority-third', 'majority', 'all']) }),
  z.object({ pick: z.literal('random-k'), k: z.number().int().min(1).max(1000) }),
  z.object({ pick: z.literal('ids'), ids: z.array(NodeId).min(1).max(1000) }),
]);
export type TargetSelector = z.infer<typeof TargetSelectorSchema>;

/** How many nodes a counted selector picks out of n (server and chaos page read it alike). */
export function selectorCount(selector: Exclude<TargetSelector, { pick: 'ids' }>, n: number): number {
  switch (selector.pick) {
    case 'one':
      return 1;
    case 'minority':
      // The largest strict minority: fewer than half.
      return Math.floor((n - 1) / 2);
    case 'minority-third':
      // The largest f with f < n/3: what a BFT network tolerates.
      return Math.floor((n - 1) / 3);
    case 'majority':
      return Math.floor(n / 2) + 1;
    case 'all':
      return n;
    case 'random-k':
      return selector.k;
  }
}

/** The seed of an action's random choices; the controller draws one when absent and records it. */
const Seed = z.number().int().min(0).max(0xffffffff);

/**
 * Who a node-targeted fault (pause, resume, clock faults, kill, restart, byzantine kinds) hits:
 * `node`, one id, or `select`, a selector the controller resolves over the nodes known when it
 * applies the action, random picks from `seed` (drawn and recorded when absent; the same seed over
 * the same nodes picks the same ones, so a restart with a kill's select and seed restarts its
 * nodes). The controller records the picked ids in `resolvedTargets`, which a request need not
 * send (one sent is replaced). Exactly one of node and select.
 */
const NodeTargeted = {
  node: NodeId.optional(),
  select: TargetSelectorSchema.optional(),
  seed: Seed.optional(),
  resolvedTargets: z.array(NodeId).max(1000).optional(),
};
const exactlyOneTarget = (a: { node?: string; select?: unknown }) => (a.node === undefined) !== (a.select === undefined);
const oneTarget = { message: 'give exactly one of node (a node id or name) or select (a target selector such as {"pick":"minority"})', path: ['node'] };

export const PartitionShapeSchema = z.enum(['majorities-ring', 'bridge', 'isolate', 'random-halves']);
export type PartitionShape = z.infer<typeof PartitionShapeSchema>;

/** A partition shape resolved against the nodes known when it was applied (what the record keeps). */
export const PartitionResolutionSchema = z.object({
  seed: Seed,
  /** The groups cut from each other (bridge, isolate, random-halves); empty for majorities-ring. */
  groups: z.array(z.array(NodeId)),
  /** bridge: the node that keeps its links to both halves. */
  bridge: NodeId.nullable(),
  /** majorities-ring: the shuffled ring order the majorities are windows of. */
  ring: z.array(NodeId).nullable(),
  /** Per node: the nodes it still reaches (itself included). Links to the others drop both ways. */
  views: z.record(NodeId, z.array(NodeId)),
});
export type PartitionResolution = z.infer<typeof PartitionResolutionSchema>;

export const ChaosActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('partition'),
    groups: z.array(z.array(NodeId).min(1)).min(2, 'a partition needs at least two groups'),
    /** One-way: the first group cannot hear the others, but the others still hear it. */
    oneWay: z.boolean().default(false),
    ...Duration,
  }),
  z.object({ kind: z.literal('heal'), /** Revert one action by id; without it, heal everything. */ actionId: z.number().int().positive().optional() }),
  z.object({
    kind: z.literal('latency'),
    target: LinkTargetSchema,
    delayMs: z.number().int().min(1).max(60_000),
    jitterMs: z.number().int().min(0).max(60_000).default(0),
    ...Duration,
    ...Correlated,
    ...Seeded,
  }),
  z.object({ kind: z.literal('loss'), target: LinkTargetSchema, pct: z.number().min(0.1).max(100), ...Duration, ...Correlated, ...Seeded }),
  z.object({ kind: z.literal('duplicate'), target: LinkTargetSchema, pct: z.number().min(0.1).max(100), ...Duration, ...Correlated, ...Seeded }),
  z.object({
    kind: z.literal('bandwidth'),
    target: LinkTargetSchema,
    /** The token bucket's rate. */
    bytesPerSec: z.number().int().min(100).max(1_000_000_000),
    ...Duration,
    /** The token bucket's depth: this many bytes pass at once before the rate applies; 0 or absent = none. */
    burst: z.number().int().min(0).max(1_000_000_000).optional(),
  }),
  /** `pct` of messages are held back and delivered after the next `gap` messages (or after 1 s). */
  z.object({
    kind: z.literal('reorder'),
    target: LinkTargetSchema,
    pct: z.number().min(0.1).max(100),
    gap: z.number().int().min(1).max(1000).default(3),
    ...Duration,
    ...Correlated,
    ...Seeded,
  }),
  /** `pct` of messages leave with one byte changed; receivers refuse them and score the sender. */
  z.object({ kind: z.literal('corrupt'), target: LinkTargetSchema, pct: z.number().min(0.1).max(100), ...Duration, ...Correlated, ...Seeded }),
  z.object({ kind: z.literal('pause'), ...NodeTargeted, ...Duration }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('resume'), ...NodeTargeted }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('clock-skew'), ...NodeTargeted, offsetMs: z.number().int().min(-3_600_000).max(3_600_000), ...Duration }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('kill'), ...NodeTargeted }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('restart'), ...NodeTargeted }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('add-node') }),
  // Byzantine faults for one local validator (BFT engine; see wire/bft.ts MisbehaviourSchema).
  z.object({ kind: z.literal('equivocate'), ...NodeTargeted, ...Duration }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('withhold-votes'), ...NodeTargeted, ...Duration }).refine(exactlyOneTarget, oneTarget),
  z.object({ kind: z.literal('delay-proposals'), ...NodeTargeted, delayMs: z.number().int().min(1).max(60_000), ...Duration }).refine(exactlyOneTarget, oneTarget),
  // A partition given by its shape; the controller resolves it to groups at apply time (see
  // server/control/partition-shapes.ts) and records the resolution in `resolved`, which a
  // request need not send (one sent is replaced).
  z.object({
    kind: z.literal('partition-shape'),
    shape: PartitionShapeSchema,
    /** isolate: which nodes are cut off from the rest (default: one). */
    select: TargetSelectorSchema.optional(),
    seed: Seed.optional(),
    resolved: PartitionResolutionSchema.optional(),
    ...Duration,
  }),
  // Clock faults beside clock-skew (offsets in ms, added to the node's clock).
  z
    .object({
      kind: z.literal('clock-strobe'),
      ...NodeTargeted,
      /** The offset alternates between +deltaMs and 0 (or -deltaMs with `symmetric`) every periodMs. */
      deltaMs: z.number().int().min(1).max(3_600_000),
      periodMs: z.number().int().min(200).max(3_600_000),
      symmetric: z.boolean().default(false),
      ...Duration,
    })
    .refine(exactlyOneTarget, oneTarget),
  /** A one-off jump: the node's current offset moves by deltaMs and stays there. */
  z
    .object({
      kind: z.literal('clock-bump'),
      ...NodeTargeted,
      deltaMs: z
        .number()
        .int()
        .min(-3_600_000)
        .max(3_600_000)
        .refine((d) => d !== 0, 'a bump of 0 does nothing'),
    })
    .refine(exactlyOneTarget, oneTarget),
  // Storage faults: one-off damage to the block log of a stopped (killed) local node, which on
  // restart must find it, cut there and sync the rest from peers (server/control/storage-faults.ts).
  /** Cut this many bytes off the end of the log (all of it, header included, when it is shorter). */
  z.object({ kind: z.literal('storage-truncate'), node: NodeId, bytes: z.number().int().min(1).max(1_000_000_000) }),
  /**
   * Flip `flips` bits at seeded random offsets: among the records (past the file header), or in
   * the header itself (the node must then move the file aside and resync). The controller draws
   * a seed when none is given and records it.
   */
  z.object({
    kind: z.literal('storage-bitflip'),
    node: NodeId,
    flips: z.number().int().min(1).max(64),
    where: z.enum(['records', 'header']).default('records'),
    seed: Seed.optional(),
  }),
]);
export type ChaosAction = z.infer<typeof ChaosActionSchema>;
export type ChaosKind = ChaosAction['kind'];

/** Kinds that stay in force until reverted, by a heal or their duration (the others are one-off events). */
export const LASTING_CHAOS_KINDS: readonly ChaosKind[] = [
  'partition',
  'partition-shape',
  'latency',
  'loss',
  'duplicate',
  'bandwidth',
  'reorder',
  'corrupt',
  'pause',
  'clock-skew',
  'clock-strobe',
  'equivocate',
  'withhold-votes',
  'delay-proposals',
];

export const ChaosRecordSchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  kind: z.enum(ChaosActionSchema.options.map((o) => o.shape.kind.value) as [ChaosKind, ...ChaosKind[]]),
  params: z.record(z.string(), z.unknown()),
  /** Node ids the action touched. */
  targets: z.array(z.string()),
  status: z.enum(['applied', 'failed', 'reverted', 'partial']),
  /** Per node: 'ok' or the error. */
  result: z.record(z.string(), z.string()).nullable(),
  expiresAt: z.number().nullable(),
  revertedAt: z.number().nullable(),
});
export type ChaosRecord = z.infer<typeof ChaosRecordSchema>;

export const ChaosResponseSchema = z.object({ active: z.array(ChaosRecordSchema), history: z.array(ChaosRecordSchema) });
export type ChaosResponse = z.infer<typeof ChaosResponseSchema>;

export const ChaosActionResponseSchema = z.object({ action: ChaosRecordSchema });
export type ChaosActionResponse = z.infer<typeof ChaosActionResponseSchema>;

export const SessionResponseSchema = z.object({ authorised: z.boolean() });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/** POST /api/session: the control token, exchanged for an httpOnly session cookie. */
export const SessionRequestSchema = z.object({ token: z.string().min(1, 'token required').max(512) });

/**
 * Whether one entry of a record's `result` is a success: 'ok', or 'ok: <what was done>' for
 * actions whose effect is worth keeping in the history (storage faults: bytes cut, bits flipped).
 */
export function isOkResult(value: string): boolean {
  return value === 'ok' || value.startsWith('ok: ');
}
