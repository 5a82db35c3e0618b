// Tests' link report: a healthy outbound link from `nodeId` to `peerId` carrying traffic, with
// `over` replacing any field (shared by the peers page's model tests).
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';

export function peerLink(nodeId: string, peerId: string | null, over: Partial<PeerLinkInfo> = {}): PeerLinkInfo {
  return {
    ...{ nodeId, peerId, peerName: peerId, address: `ws://${peerId ?? 'x'}/p2p`, direction: 'outbound', state: 'connected', rttMs: 1 },
    ...{ bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, errors: 0, score: 0, connectedSince: 0, lastReconnectReason: null },
    ...{ faults: [], blockedBy: [], silentMs: 100, carrying: true },
    ...over,
  };
}
