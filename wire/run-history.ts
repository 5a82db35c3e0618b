// What a recorded run is made of, as the verdict checker reads it and as an exported run file
// carries it (issue 14: experiments): the faults with their resolved targets and times, every
// node's head and finalized readings over time, and what the index held at the end. And the
// verdict: Jepsen-style `valid: true | false | 'unknown'` with reasons, per check.
import { z } from 'zod';
import { Hash, UInt } from './primitives.ts';

const Ms = UInt;

export const RunFaultSchema = z.object({
  id: UInt,
  kind: z.string().min(1).max(64),
  /** Node ids the fault acted on, as resolved when it was applied. */
  targets: z.array(z.string().max(64)).max(64),
  appliedAt: Ms,
  /** When it was reverted (by heal, by its duration, or at the run's end); null: still active when the run stopped. */
  healedAt: Ms.nullable(),
  /** The action's parameters as recorded (with what was resolved at apply time: groups, seed, …), for describing it. */
  params: z.record(z.string(), z.unknown()).optional(),
});

/** One reading of a node's head (any engine) or of its finalized tip (BFT): height and hash at a time. */
export const ChainReadingSchema = z.object({ nodeId: z.string().max(64), at: Ms, height: UInt, hash: Hash });

/** The index compared with every node's chain when the run ended (null: the comparison could not be made). */
export const IndexCheckSchema = z.object({
  /** Blocks some node has that the index lacks. */
  missingBlocks: UInt,
  /** Indexed blocks that fail validation or have no parent in the index. */
  invalidBlocks: UInt,
  /** Nodes whose chain differs from the index's copy of it. */
  mismatchedNodes: z.array(z.string().max(64)).max(64),
});

export const RunHistorySchema = z.object({
  engine: z.enum(['poa', 'bft']),
  nodes: z.array(z.string().max(64)).min(1).max(64),
  startedAt: Ms,
  endedAt: Ms,
  /** The run stopped before its schedule ended (cancelled, crashed, timed out). */
  cutShort: z.boolean(),
  /** How long the network may take to recover after a heal, s. */
  recoveryBoundSec: z.number().positive().max(3600),
  faults: z.array(RunFaultSchema).max(10_000),
  heads: z.array(ChainReadingSchema),
  /** BFT only: each node's finalized tip over time. */
  finalized: z.array(ChainReadingSchema),
  index: IndexCheckSchema.nullable(),
});
export type RunHistory = z.infer<typeof RunHistorySchema>;
export type RunFault = z.infer<typeof RunFaultSchema>;
export type ChainReading = z.infer<typeof ChainReadingSchema>;

export const ValiditySchema = z.union([z.boolean(), z.literal('unknown')]);
export type Validity = z.infer<typeof ValiditySchema>;

export const CheckResultSchema = z.object({ valid: ValiditySchema, reasons: z.array(z.string()) });
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const RecoverySchema = z.object({
  faultId: UInt,
  kind: z.string(),
  healedAt: Ms,
  /** When every node had moved past the highest height any node had at the heal (and, on PoA, agreed again); null: not seen. */
  recoveredAt: Ms.nullable(),
  recoverySec: z.number().nonnegative().nullable(),
  /** Another fault began before the network recovered: this heal's recovery cannot be judged. */
  interrupted: z.boolean(),
});
export type Recovery = z.infer<typeof RecoverySchema>;

export const VerdictSchema = z.object({
  valid: ValiditySchema,
  safety: CheckResultSchema,
  liveness: CheckResultSchema,
  integrity: CheckResultSchema,
  recoveries: z.array(RecoverySchema),
});
export type Verdict = z.infer<typeof VerdictSchema>;
