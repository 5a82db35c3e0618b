// Reads every node's /peers on a steady interval (the stream carries peer events, but RTT,
// bytes and scores change continuously), for the peer graph and the node pages.
import type { Logger } from 'pino';
import { NodeApiClient } from '../../lib/http/node-client.ts';
import type { PeerLinkInfo } from '../../wire/explorer-api.ts';
import type { Indexer } from '../indexer/indexer.ts';

export class PeerPoller {
  private timer: NodeJS.Timeout | null = null;
  private links = new Map<string, PeerLinkInfo[]>();
  polledAt: number | null = null;

  constructor(
    private readonly indexer: Indexer,
    private readonly opts: {
      intervalMs: number;
      logger: Logger;
      onUpdate: (links: PeerLinkInfo[]) => void;
      /** Active chaos faults on the link between two nodes, and whether each blocks it. */
      faultsOn?: (a: string, b: string) => Array<{ label: string; blocks: boolean }>;
    },
  ) {}

  start(): void {
    const tick = () => {
      this.poll()
        .catch((err: Error) => this.opts.logger.warn({ err }, 'peer poll failed'))
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, this.opts.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  all(): PeerLinkInfo[] {
    return [...this.links.values()].flat().map((l) => this.annotate(l));
  }

  of(nodeId: string): PeerLinkInfo[] {
    return (this.links.get(nodeId) ?? []).map((l) => this.annotate(l));
  }

  private annotate(link: PeerLinkInfo): PeerLinkInfo {
    if (!link.peerId || !this.opts.faultsOn) return link;
    const faults = this.opts.faultsOn(link.nodeId, link.peerId);
    return { ...link, faults: faults.map((f) => f.label), blockedBy: faults.filter((f) => f.blocks).map((f) => f.label) };
  }

  private async poll(): Promise<void> {
    const subs = this.indexer.subscribers().filter((s) => s.nodeId !== null);
    await Promise.all(
      subs.map(async (s) => {
        if (s.state === 'down') {
          this.links.set(s.nodeId!, []);
          return;
        }
        try {
          const peers = await new NodeApiClient(s.url, { timeoutMs: 2_000 }).peers();
          this.links.set(
            s.nodeId!,
            peers.map((p) => ({
              nodeId: s.nodeId!,
              peerId: p.id,
              peerName: p.name,
              address: p.address,
              direction: p.direction,
              state: p.state,
              rttMs: p.rttMs,
              bytesIn: p.bytesIn,
              bytesOut: p.bytesOut,
              messagesIn: p.messagesIn,
              messagesOut: p.messagesOut,
              errors: p.errors,
              score: p.score,
              connectedSince: p.connectedSince,
              lastReconnectReason: p.lastReconnectReason,
              faults: [],
              blockedBy: [],
              silentMs: p.silentMs ?? null,
              // A node from before `carrying` existed: a connected link is all it can tell.
              carrying: p.carrying ?? p.state === 'connected',
            })),
          );
        } catch {
          // Unreachable now: the subscriber reports the node as down; keep the last links.
        }
      }),
    );
    this.polledAt = Date.now();
    this.opts.onUpdate(this.all());
  }
}
