// The one door through which blocks from anywhere (our producer, gossip, catch-up sync)
// enter the chain: imports, counts, logs once with context, and parks blocks whose parent
// is still missing until it arrives.
import type { Block } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import type { Clock } from '../chain/clock.ts';
import { ChainError, isSignatureError } from '../chain/errors.ts';
import { errFields, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export type ImportOutcome = { status: 'accepted'; block: Block } | { status: 'known' } | { status: 'orphan' } | { status: 'rejected'; error: ChainError };

const MAX_ORPHANS = 1024;

export class BlockImporter {
  /** Blocks waiting for their parent, keyed by parent hash. */
  private readonly orphans = new Map<string, Block[]>();
  private orphanCount = 0;

  constructor(
    private readonly chain: Chain,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  get pendingOrphans(): number {
    return this.orphanCount;
  }

  hasOrphan(hash: string): boolean {
    for (const list of this.orphans.values()) if (list.some((b) => b.hash === hash)) return true;
    return false;
  }

  import(block: Block, source: { peer?: string; local?: boolean }): ImportOutcome {
    const outcome = this.importOne(block, source);
    if (outcome.status === 'accepted') this.adoptOrphans(block.hash, source);
    return outcome;
  }

  private importOne(block: Block, source: { peer?: string; local?: boolean }): ImportOutcome {
    try {
      const r = this.chain.importBlock(block, { nowMs: this.clock.now() });
      if (r.status === 'known') return { status: 'known' };
      this.metrics.blocksAccepted.inc();
      this.logger.debug({ height: block.header.height, hash: block.hash, peer: source.peer, txs: block.txs.length }, 'block accepted');
      return { status: 'accepted', block };
    } catch (err) {
      if (!(err instanceof ChainError)) throw err;
      if (err.code === 'BLOCK_PARENT_UNKNOWN' && !source.local) {
        this.park(block);
        return { status: 'orphan' };
      }
      this.metrics.blocksRejected.inc({ code: err.code });
      this.metrics.errors.inc({ kind: err.code });
      if (isSignatureError(err)) this.metrics.signatureFailures.inc({ what: err.code === 'TX_SIGNATURE_INVALID' ? 'tx' : 'block' });
      err.context.peer ??= source.peer;
      // A block from the future is expected under clock skew; the rest point at a bad peer or bug.
      const level = err.code === 'BLOCK_FROM_FUTURE' ? 'info' : 'warn';
      this.logger[level]({ ...errFields(err), height: block.header.height, hash: block.hash, peer: source.peer }, `block rejected: ${err.code}`);
      return { status: 'rejected', error: err };
    }
  }

  private park(block: Block): void {
    const list = this.orphans.get(block.header.parentHash) ?? [];
    if (list.some((b) => b.hash === block.hash)) return;
    if (this.orphanCount >= MAX_ORPHANS) {
      // Drop the oldest parked group; catch-up sync will fetch those blocks again.
      const first = this.orphans.keys().next().value;
      if (first !== undefined) {
        this.orphanCount -= this.orphans.get(first)!.length;
        this.orphans.delete(first);
      }
    }
    list.push(block);
    this.orphans.set(block.header.parentHash, list);
    this.orphanCount++;
  }

  private adoptOrphans(parentHash: string, source: { peer?: string }): void {
    const queue = [parentHash];
    while (queue.length > 0) {
      const p = queue.shift()!;
      const children = this.orphans.get(p);
      if (!children) continue;
      this.orphans.delete(p);
      this.orphanCount -= children.length;
      for (const child of children) {
        const r = this.importOne(child, source);
        if (r.status === 'accepted') queue.push(child.hash);
      }
    }
  }
}
