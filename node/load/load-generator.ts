// Built-in load: signs transfers between genesis-funded accounts at a steady rate, with the
// right nonces (after the sender's pending txs), so blocks carry content to browse.
import type { Tx } from '../../wire/node-api.ts';
import { signTx } from '../chain/block.ts';
import type { KeyPair } from '../chain/keys.ts';
import { ChainError } from '../chain/errors.ts';
import type { StateView } from '../chain/state.ts';
import type { Logger } from '../logger.ts';

export interface LoadGeneratorDeps {
  headState(): StateView;
  nextNonce(sender: string, head: StateView): number;
  /** Admits and gossips; throws ChainError when refused. */
  submit(tx: Tx): void;
  now(): number;
  logger: Logger;
  onRefused(code: string): void;
}

export class LoadGenerator {
  private timer: NodeJS.Timeout | null = null;
  private turn = 0;
  private carry = 0;

  constructor(
    private readonly opts: { ratePerSec: number; senders: KeyPair[]; recipients: string[] },
    private readonly deps: LoadGeneratorDeps,
  ) {}

  start(): void {
    if (this.opts.ratePerSec <= 0 || this.opts.senders.length === 0 || this.timer) return;
    // Up to 20 ticks a second; faster rates send several txs per tick.
    const tickMs = Math.max(50, Math.floor(1000 / this.opts.ratePerSec));
    this.timer = setInterval(() => this.tick(tickMs), tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(tickMs: number): void {
    this.carry += (this.opts.ratePerSec * tickMs) / 1000;
    const n = Math.floor(this.carry);
    this.carry -= n;
    for (let i = 0; i < n; i++) this.sendOne();
  }

  private sendOne(): void {
    const sender = this.opts.senders[this.turn++ % this.opts.senders.length];
    const choices = this.opts.recipients.filter((r) => r !== sender.publicKey);
    if (choices.length === 0) return;
    const head = this.deps.headState();
    const tx = signTx(
      {
        from: sender.publicKey,
        to: choices[Math.floor(Math.random() * choices.length)],
        amount: 1 + Math.floor(Math.random() * 100),
        nonce: this.deps.nextNonce(sender.publicKey, head),
        timestamp: Math.max(0, Math.floor(this.deps.now())),
      },
      sender,
    );
    try {
      this.deps.submit(tx);
    } catch (err) {
      if (!(err instanceof ChainError)) throw err;
      this.deps.onRefused(err.code);
      this.deps.logger.debug({ code: err.code, tx: tx.hash, nonce: tx.nonce }, 'load tx refused');
    }
  }
}
