// Prometheus metrics of one node, on a registry of its own (several nodes can live in one
// test process). Every module gets this object passed in; nothing registers globally.
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  const r = [registry];
  client.collectDefaultMetrics({ register: registry, prefix: 'node_process_' });
  return {
    registry,
    errors: new client.Counter({ name: 'node_errors_total', help: 'Errors by kind (stable error code)', labelNames: ['kind'], registers: r }),
    signatureFailures: new client.Counter({
      name: 'node_signature_failures_total',
      help: 'Signatures that did not verify, by what was signed (block, tx, envelope)',
      labelNames: ['what'],
      registers: r,
    }),
    messages: new client.Counter({ name: 'node_p2p_messages_total', help: 'P2P messages by direction and type', labelNames: ['direction', 'type'], registers: r }),
    bytes: new client.Counter({
      name: 'node_p2p_bytes_total',
      help: 'P2P message bytes by direction and type (gossip efficiency: bytes per block type)',
      labelNames: ['direction', 'type'],
      registers: r,
    }),
    chaosDropped: new client.Counter({ name: 'node_chaos_dropped_total', help: 'Messages dropped by link rules', labelNames: ['direction'], registers: r }),
    chaosEffects: new client.Counter({
      name: 'node_chaos_effects_total',
      help: 'Messages the link rules held back (effect reordered) or corrupted, by direction',
      labelNames: ['direction', 'effect'],
      registers: r,
    }),
    peers: new client.Gauge({ name: 'node_peers', help: 'Connected peers by direction', labelNames: ['direction'], registers: r }),
    disconnects: new client.Counter({ name: 'node_p2p_disconnects_total', help: 'Peer links lost, by reason', labelNames: ['reason'], registers: r }),
    dialErrors: new client.Counter({ name: 'node_p2p_dial_errors_total', help: 'Outbound dial failures by code', labelNames: ['code'], registers: r }),
    bans: new client.Counter({ name: 'node_p2p_bans_total', help: 'Peers banned', registers: r }),
    inboundRefused: new client.Counter({
      name: 'node_p2p_inbound_refused_total',
      help: 'Inbound /p2p upgrades refused before a WebSocket was accepted, by reason (address_banned, attempt_rate, pending_full, pending_address_full, inbound_full)',
      labelNames: ['reason'],
      registers: r,
    }),
    pendingHandshakes: new client.Gauge({ name: 'node_p2p_pending_handshakes', help: 'Inbound sockets that have not completed their hello (hold no peer slot)', registers: r }),
    httpConnectionsRefused: new client.Counter({
      name: 'node_http_connections_refused_total',
      help: 'Connections refused because their address already held maxConnectionsPerAddress',
      registers: r,
    }),
    blocksProduced: new client.Counter({ name: 'node_blocks_produced_total', help: 'Blocks this node proposed', registers: r }),
    blocksAccepted: new client.Counter({ name: 'node_blocks_accepted_total', help: 'Blocks accepted into the block tree', registers: r }),
    blocksRejected: new client.Counter({ name: 'node_blocks_rejected_total', help: 'Blocks refused, by error code', labelNames: ['code'], registers: r }),
    txsAccepted: new client.Counter({ name: 'node_txs_accepted_total', help: 'Transactions admitted to the mempool', registers: r }),
    txsRejected: new client.Counter({ name: 'node_txs_rejected_total', help: 'Transactions refused, by error code', labelNames: ['code'], registers: r }),
    reorgs: new client.Counter({ name: 'node_reorgs_total', help: 'Head changes that removed canonical blocks', registers: r }),
    reorgDepth: new client.Histogram({ name: 'node_reorg_depth', help: 'Blocks removed per reorg', buckets: [1, 2, 3, 5, 10, 20, 50, 100], registers: r }),
    headHeight: new client.Gauge({ name: 'node_head_height', help: 'Height of the canonical head', registers: r }),
    mempoolSize: new client.Gauge({ name: 'node_mempool_size', help: 'Pending transactions', registers: r }),
    streamClients: new client.Gauge({ name: 'node_stream_clients', help: 'Connected /stream clients', registers: r }),
    streamRefused: new client.Counter({ name: 'node_stream_clients_refused_total', help: '/stream upgrades refused: the subscriber cap was reached', registers: r }),
    streamDropped: new client.Counter({
      name: 'node_stream_clients_dropped_total',
      help: '/stream clients cut off for not reading, by reason (slow: over the buffer bound past the grace; overflow: over the hard bound)',
      labelNames: ['reason'],
      registers: r,
    }),
    syncBatches: new client.Counter({ name: 'node_sync_batches_total', help: 'Catch-up batches received', registers: r }),
    // Consensus, under CometBFT's names. The node sets height and rounds from the engine's
    // status(); a BFT engine observes the other three (PoA leaves them at 0).
    consensusHeight: new client.Gauge({ name: 'consensus_height', help: 'Height the consensus engine is deciding (head + 1 for PoA)', registers: r }),
    consensusRounds: new client.Gauge({ name: 'consensus_rounds', help: 'Round of the height being decided (0 for PoA)', registers: r }),
    consensusRoundDuration: new client.Histogram({
      name: 'consensus_round_duration_seconds',
      help: 'Time each round took, from its start to the next round or the commit',
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers: r,
    }),
    consensusMissingValidators: new client.Gauge({
      name: 'consensus_missing_validators',
      help: 'Validators whose precommit is missing from the last commit',
      registers: r,
    }),
    consensusDuplicateVotes: new client.Counter({
      name: 'consensus_duplicate_votes_total',
      help: 'Equivocations detected, each piece of evidence once (conflicting votes or proposals of one validator for one height and round)',
      registers: r,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
