// Which configured peers a node dials when it is given more than it has outbound slots for.
// Taking the first ones would make every node of a big local testnet (each given every other
// node, in the same order) dial the same few nodes, whose inbound slots then run out while the
// rest are never dialed. Instead each node ranks the URLs by a hash of its own id and the URL:
// a stable choice per node, different between nodes, so the links form a random graph.
import crypto from 'node:crypto';

export function pickOutboundPeers(urls: string[], maxOutbound: number, ownNodeId: string): string[] {
  if (urls.length <= maxOutbound) return urls;
  const rank = (url: string) => crypto.createHash('sha256').update(`${ownNodeId}|${url}`).digest('hex');
  return urls
    .map((url) => ({ url, rank: rank(url) }))
    .sort((x, y) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : 0))
    .slice(0, maxOutbound)
    .map((x) => x.url);
}
