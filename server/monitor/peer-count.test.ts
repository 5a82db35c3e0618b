// Integration, on a real 4-node testnet: a node's peers are the links that carry traffic. Under a
// 2|2 partition each node counts 1 peer (on /api/nodes and in /api/peers) and its two links across
// the cut are reported blocked by the partition, however their sockets reconnect and time out;
// after the heal every node counts 3 again and nothing is blocked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { startChaosTestnet, type ChaosTestnet } from '../testing/chaos-testnet.ts';
import type { NodeStatus, PeerLinkInfo, PeersResponse } from '../../wire/explorer-api.ts';

/** Per node name: its peers carrying traffic, and the peers it reports blocked (and by what). */
function linkView(links: PeerLinkInfo[], names: Map<string, string>) {
  const view: Record<string, { carrying: string[]; blocked: string[] }> = {};
  for (const l of links) {
    if (!l.peerId) continue;
    const v = (view[names.get(l.nodeId)!] ??= { carrying: [], blocked: [] });
    const peer = names.get(l.peerId)!;
    if (l.carrying) v.carrying.push(peer);
    else if ((l.blockedBy ?? []).length > 0) v.blocked.push(`${peer} by ${l.blockedBy!.join(',')}`);
  }
  // Keys and lists sorted, so two views compare as JSON.
  return Object.fromEntries(
    Object.keys(view)
      .sort()
      .map((n) => [n, { carrying: [...new Set(view[n].carrying)].sort(), blocked: [...new Set(view[n].blocked)].sort() }]),
  );
}

describe('peer counts on a 4-node testnet', { timeout: 300_000 }, () => {
  let net: ChaosTestnet;
  let nodes: NodeStatus[];
  let names: Map<string, string>;

  /** Waits until /api/peers and /api/nodes both say what `want` says of every node. */
  const waitForView = async (want: Record<string, { carrying: string[]; blocked: string[] }>, what: string) => {
    await waitFor(
      async () => {
        const [peers, listed] = await Promise.all([net.api<PeersResponse>('/api/peers'), net.nodes()]);
        const have = linkView(peers.links, names);
        const counts = Object.fromEntries(listed.map((n) => [n.name, n.peers]).sort());
        const wantCounts = Object.fromEntries(
          Object.entries(want)
            .map(([n, v]) => [n, v.carrying.length])
            .sort(),
        );
        // Thrown, so a timeout says what the server said last.
        const wanted = Object.fromEntries(Object.entries(want).sort());
        if (JSON.stringify(have) !== JSON.stringify(wanted)) throw new Error(`/api/peers: ${JSON.stringify(have)}`);
        if (JSON.stringify(counts) !== JSON.stringify(wantCounts)) throw new Error(`/api/nodes peers: ${JSON.stringify(counts)}`);
        return true;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what },
    );
  };

  before(async () => {
    net = await startChaosTestnet({ nodes: 4, blockTimeMs: 300, txRate: 1, prefix: 'peer-count-it-' });
    nodes = (await net.nodes()).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    names = new Map(nodes.map((n) => [n.id, n.name]));
  });
  after(() => net?.stop());

  const whole = () =>
    Object.fromEntries(
      nodes.map((n) => [
        n.name,
        {
          carrying: nodes
            .filter((p) => p !== n)
            .map((p) => p.name)
            .sort(),
          blocked: [],
        },
      ]),
    );

  it('a 2|2 partition leaves each node 1 peer and its cross links blocked; the heal brings back 3', async () => {
    await waitForView(whole(), 'every node carrying traffic with its 3 peers at the start');

    const [n1, n2, n3, n4] = nodes;
    const record = await net.chaos({
      kind: 'partition',
      groups: [
        [n1.id, n2.id],
        [n3.id, n4.id],
      ],
    });
    const fault = `partition #${record.id}`;
    const across = (mate: NodeStatus, others: NodeStatus[]) => ({ carrying: [mate.name], blocked: others.map((o) => `${o.name} by ${fault}`).sort() });
    await waitForView(
      {
        [n1.name]: across(n2, [n3, n4]),
        [n2.name]: across(n1, [n3, n4]),
        [n3.name]: across(n4, [n1, n2]),
        [n4.name]: across(n3, [n1, n2]),
      },
      'each node with 1 peer carrying traffic and 2 links blocked by the partition',
    );

    await net.chaos({ kind: 'heal' });
    await waitForView(whole(), 'every node back to 3 peers after the heal');
    await net.agreed('agreement after the heal');
  });
});
