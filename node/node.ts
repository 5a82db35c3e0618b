// Composition root of one node: builds every part from the validated config, wires chain,
// consensus, P2P, sync, API and load together (the only module that knows them all),
// starts them in order and stops them in reverse. start() once; stop() is idempotent.
import { CodedError } from '../lib/coded-error.ts';
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Block, ChaosState, HeadRef, Health, LinkRule, NodeIdentity, StorageRepair, Tx } from '../wire/node-api.ts';
import { adminTokenFile, loadOrCreateAdminToken } from './admin-token.ts';
import { ConsensusEventRelay } from './api/consensus-events.ts';
import { buildHealth } from './api/health.ts';
import { createHttpServer, createUpgradeServer } from './api/http-server.ts';
import type { NodeView } from './api/node-view.ts';
import { StreamHub } from './api/stream-hub.ts';
import { Chain } from './chain/chain.ts';
import { Clock } from './chain/clock.ts';
import { ChainError, isSignatureError } from './chain/errors.ts';
import type { Genesis } from './chain/genesis.ts';
import { loadOrCreateKeyFile, nodeIdOf, type KeyPair } from './chain/keys.ts';
import { Mempool } from './chain/mempool.ts';
import type { ConsensusEngine, SubmitOutcome } from './consensus/engine.ts';
import { realTimers } from './consensus/engine.ts';
import { createEngine } from './consensus/engine-factory.ts';
import { normalizePeerUrl, type NodeConfig } from './config.ts';
import { checkDataDirChain, loadOrCreateGenesis, restoreChain } from './data-dir.ts';
import { loadSenders } from './load/accounts-file.ts';
import { LoadGenerator } from './load/load-generator.ts';
import { preciseNowMs } from './precise-time.ts';
import { errFields, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { LinkChaos } from './p2p/link-chaos.ts';
import { ListenerMonitor } from './p2p/listener-monitor.ts';
import { P2PHost } from './p2p/p2p-host.ts';
import type { ReadonlyMessageRegistry } from './p2p/message-registry.ts';
import { BlockImporter } from './sync/block-importer.ts';
import { CatchUp } from './sync/catch-up.ts';
import { Gossip } from './sync/gossip.ts';
import { StartupGate, startupGateTimes } from './sync/startup-gate.ts';

const HEALTH_EVENT_MS = 5000;

export class Node {
  readonly metrics: Metrics = createMetrics();
  readonly clock = new Clock();
  readonly chaos = new LinkChaos();
  private readonly log: Logger;
  private readonly startedAt = Date.now();
  private paused = false;
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  private stopPromise: Promise<void> | null = null;
  /** Undo steps, pushed as parts start, run in reverse by stop(). */
  private readonly stops: Array<{ name: string; fn: () => void | Promise<void> }> = [];

  key!: KeyPair;
  genesis!: Genesis;
  chain!: Chain;
  adminToken!: string;
  private engine!: ConsensusEngine;
  private mempool!: Mempool;
  private host!: P2PHost;
  private stream!: StreamHub;
  private catchUp!: CatchUp;
  private startupGate!: StartupGate;
  private gossip!: Gossip;
  private server!: http.Server;
  private listener!: ListenerMonitor;
  private boundPort = 0;
  /** What the block log needed at start (shown in /health.storage). */
  private storageRepair: StorageRepair | null = null;
  private p2pPort = 0;

  constructor(
    readonly config: NodeConfig,
    deps: { logger: Logger },
  ) {
    this.log = deps.logger;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.config.host}:${this.boundPort}`;
  }

  /** Where peers dial us: the HTTP port, or the separate P2P port when one is configured. */
  get p2pUrl(): string {
    return `ws://${this.config.host}:${this.p2pPort}/p2p`;
  }

  /** The P2P message types and handlers the reactors registered (read-only: tests and fuzzers open frames with it). */
  get messageRegistry(): ReadonlyMessageRegistry {
    return this.host.registry;
  }

  get identity(): NodeIdentity {
    return {
      id: nodeIdOf(this.key.publicKey),
      name: this.config.name,
      publicKey: this.key.publicKey,
      pid: process.pid,
      validator: this.engine.isValidator(this.key.publicKey),
    };
  }

  /**
   * `holdDials`: listen and serve, but dial no peer until startDialing() (a launcher starting
   * many nodes releases them once every one listens, so no dial meets a closed port).
   */
  async start(opts: { holdDials?: boolean } = {}): Promise<void> {
    if (this.state !== 'new') throw new Error(`node already ${this.state}`);
    this.state = 'starting';
    try {
      await this.startParts(opts.holdDials ?? false);
      this.state = 'running';
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Idempotent; stops what was started, newest first. */
  stop(): Promise<void> {
    this.stopPromise ??= (async () => {
      this.state = 'stopping';
      for (const s of this.stops.reverse()) {
        try {
          await s.fn();
        } catch (err) {
          this.log.error({ ...errFields(err), part: s.name }, 'error while stopping');
        }
      }
      this.state = 'stopped';
      this.log.info('node stopped');
    })();
    return this.stopPromise;
  }

  private onStop(name: string, fn: () => void | Promise<void>): void {
    this.stops.push({ name, fn });
  }

  /** Starts the dialers held by start({ holdDials: true }); a no-op when they already run. */
  startDialing(): void {
    if (this.state !== 'running') return;
    this.beginDialing();
  }

  private beginDialing(): void {
    this.host.startDialing();
    this.startupGate.dialingStarted();
  }

  private async startParts(holdDials: boolean): Promise<void> {
    const cfg = this.config;
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    this.key = loadOrCreateKeyFile(cfg.keyFile);
    this.genesis = loadOrCreateGenesis(cfg, this.key, this.log);
    this.adminToken = cfg.adminToken ?? loadOrCreateAdminToken(cfg.dataDir);
    this.engine = createEngine(this.genesis, { maxFutureMs: cfg.maxFutureMs ?? undefined });
    this.chain = new Chain(this.genesis, this.engine, cfg.checkpoint);
    checkDataDirChain(cfg.dataDir, this.chain);
    const { blockLog, repair } = await restoreChain(cfg.dataDir, this.chain, this.clock, this.metrics, this.log);
    this.storageRepair = repair;
    this.onStop('block-log', () => blockLog.close());
    this.mempool = new Mempool();
    this.metrics.headHeight.set(this.chain.headRef().height);

    this.stream = new StreamHub(
      { capacity: cfg.streamBuffer, maxClients: cfg.streamMaxClients, clientBufferBytes: cfg.streamClientBufferBytes, slowClientGraceMs: cfg.streamSlowClientGraceMs },
      {
        hello: () => ({
          node: this.identity,
          head: this.chain.headRef(),
          genesisHash: this.chain.genesisHash,
          blockTimeMs: this.genesis.blockTimeMs,
          peers: this.host.peers(),
          chaos: this.chaosState(),
        }),
        logger: this.log.child({ module: 'stream' }),
        metrics: this.metrics,
      },
    );
    this.stream.start();

    const chainLog = this.log.child({ module: 'chain' });
    const importer = new BlockImporter(this.chain, this.clock, this.metrics, chainLog);
    this.chain.listen({
      onBlock: (block) => this.stream.publish({ type: 'block', block, acceptedAt: preciseNowMs() }),
      onHead: (change) => {
        this.metrics.headHeight.set(change.head.height);
        this.noteConsensusStatus();
        if (change.reorg) {
          this.metrics.reorgs.inc();
          this.metrics.reorgDepth.observe(change.reorg.depth);
          chainLog.info(
            { height: change.head.height, hash: change.head.hash, depth: change.reorg.depth, oldHead: change.reorg.oldHead, commonAncestor: change.reorg.commonAncestor },
            'reorg',
          );
        }
        this.mempool.onHeadChanged(
          this.chain.headState(),
          change.removed.flatMap((b) => b.txs),
        );
        this.metrics.mempoolSize.set(this.mempool.size);
        this.stream.publish({ type: 'head', head: change.head, reorg: change.reorg });
        this.gossip?.announceHead();
      },
    });

    this.gossip = new Gossip({
      chain: this.chain,
      mempool: this.mempool,
      importer,
      catchUp: () => this.catchUp, // gossip, host and catch-up refer to each other: late-bound
      host: () => this.host,
      metrics: this.metrics,
      logger: this.log.child({ module: 'gossip' }),
      isPaused: () => this.paused,
      quietIn: (delayMs) => {
        const now = this.clock.now();
        return (this.engine.quietAt?.(now + delayMs) ?? now + delayMs) - now;
      },
    });
    this.host = new P2PHost(
      {
        key: this.key,
        name: cfg.name,
        peers: cfg.peers.map(normalizePeerUrl),
        listenUrl: () => (this.p2pPort ? `ws://${cfg.host}:${this.p2pPort}/p2p` : null),
        maxInbound: cfg.maxInbound,
        maxOutbound: cfg.maxOutbound,
        pingIntervalMs: cfg.pingIntervalMs,
        handshakeTimeoutMs: cfg.handshakeTimeoutMs,
        maxPayloadBytes: cfg.maxPayloadBytes,
        banMs: cfg.banMs,
        addressBanMs: cfg.addressBanMs,
        maxPendingHandshakes: cfg.maxPendingHandshakes,
        maxPendingPerAddress: cfg.maxPendingPerAddress,
        maxInboundAttemptsPerMinute: cfg.maxInboundAttemptsPerMinute,
        rateLimit: { perSec: cfg.rateLimitPerSec, burst: cfg.rateLimitBurst },
        stableMs: Math.max(10_000, 2 * cfg.pingIntervalMs),
        backoffBaseMs: 250,
        backoffCapMs: 30_000,
      },
      {
        logger: this.log,
        metrics: this.metrics,
        chaos: this.chaos,
        local: { chainId: this.chain.chainId, genesisHash: this.chain.genesisHash, validator: this.identity.validator, head: () => this.chain.headRef() },
        onPeerEvent: (e) => this.stream.publish({ type: 'peer', ...e }),
      },
    );
    this.catchUp = new CatchUp(
      {
        batchSize: cfg.syncBatchSize,
        requestTimeoutMs: 15_000,
        checkIntervalMs: Math.max(1000, 2 * this.genesis.blockTimeMs),
        maxResponseBytes: Math.floor(cfg.maxPayloadBytes / 2),
      },
      { chain: this.chain, host: this.host, importer, metrics: this.metrics, logger: this.log.child({ module: 'sync' }), isPaused: () => this.paused },
    );
    this.startupGate = new StartupGate(
      {
        hasConfiguredPeers: cfg.peers.length > 0,
        connectedPeers: () => this.host.connected().length,
        caughtUp: () => this.catchUp.caughtUp(),
        headHeight: () => this.chain.headRef().height,
        now: () => Date.now(),
        logger: this.log.child({ module: 'startup' }),
      },
      startupGateTimes(this.genesis.blockTimeMs),
    );
    // The reactors meet at the host: each brings the message types it owns and their handlers.
    this.host.addReactor(this.gossip);
    this.host.addReactor(this.catchUp);
    this.host.addReactor(this.engine);
    this.chaos.onChange(() => {
      this.stream.publish({ type: 'chaos', chaos: this.chaosState() });
      this.host.wakeDialers();
    });

    // HTTP + WebSockets on one port, unless P2P has a port of its own.
    const httpLimits = {
      headersTimeoutMs: cfg.headersTimeoutMs,
      requestTimeoutMs: cfg.requestTimeoutMs,
      keepAliveTimeoutMs: cfg.keepAliveTimeoutMs,
      maxConnectionsPerAddress: cfg.maxConnectionsPerAddress,
    };
    const p2pUpgrade = (req: http.IncomingMessage, s: Duplex, h: Buffer) => this.host.handleUpgrade(req, s, h);
    this.server = createHttpServer({
      api: this.api(),
      adminToken: this.adminToken,
      upgrades: {
        ...(cfg.p2pPort === null ? { '/p2p': p2pUpgrade } : {}),
        '/stream': (req, s, h) => this.stream.handleUpgrade(req, s, h),
      },
      logger: this.log,
      metrics: this.metrics,
      limits: httpLimits,
    });
    this.boundPort = await listen(this.server, cfg.host, cfg.port);
    this.onStop(
      'http',
      () =>
        new Promise<void>((resolve) => {
          // Upgraded sockets are closed by their owners (stopped before this); don't wait forever.
          const t = setTimeout(resolve, 2000);
          this.server.close(() => {
            clearTimeout(t);
            resolve();
          });
          this.server.closeAllConnections();
        }),
    );
    this.onStop('stream', () => this.stream.stop());
    let p2pServer = this.server;
    if (cfg.p2pPort !== null) {
      p2pServer = createUpgradeServer({ '/p2p': p2pUpgrade }, { logger: this.log, metrics: this.metrics, limits: httpLimits });
      this.p2pPort = await listen(p2pServer, cfg.host, cfg.p2pPort);
      this.onStop(
        'p2p-server',
        () =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 2000);
            p2pServer.close(() => {
              clearTimeout(t);
              resolve();
            });
          }),
      );
    } else {
      this.p2pPort = this.boundPort;
    }
    this.listener = new ListenerMonitor(
      p2pServer,
      { host: cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host, port: () => this.p2pPort, intervalMs: 10_000 },
      this.log.child({ module: 'p2p-listener' }),
      () => this.publishHealth(),
    );
    this.listener.start();
    // Registered after the server so it stops first: our own close is not an outage.
    this.onStop('listener-monitor', () => this.listener.stop());

    this.host.start();
    if (!holdDials) this.beginDialing();
    this.onStop('p2p', () => this.host.stop());
    this.onStop('gossip', () => this.gossip.stop());
    this.catchUp.start();
    this.onStop('sync', () => this.catchUp.stop());

    const consensusEvents = new ConsensusEventRelay({
      publish: (e) => this.stream.publish(e),
      timers: realTimers,
      now: () => Date.now(),
      onRound: () => this.noteConsensusStatus(),
    });
    this.engine.start({
      key: this.key,
      clock: this.clock,
      chain: this.chain,
      network: this.host,
      timers: realTimers,
      dataDir: path.join(cfg.dataDir, 'consensus'),
      selectTxs: (max) => this.mempool.select(this.chain.headState(), max),
      submitBlock: (block) => this.publishOwnBlock(block, importer),
      isPaused: () => this.paused,
      mayPropose: () => this.startupGate.mayPropose(),
      events: consensusEvents,
      logger: this.log,
      metrics: this.metrics,
    });
    this.noteConsensusStatus();
    this.onStop('consensus', () => {
      this.engine.stop();
      consensusEvents.stop();
    });

    this.startLoad();

    const healthTimer = setInterval(() => this.publishHealth(), HEALTH_EVENT_MS);
    this.onStop('health-events', () => clearInterval(healthTimer));

    this.log.info(
      {
        url: this.url,
        nodeId: this.identity.id,
        validator: this.identity.validator,
        chainId: this.chain.chainId,
        genesisHash: this.chain.genesisHash,
        engine: this.engine.name,
        head: this.chain.headRef(),
        peers: cfg.peers,
        blockTimeMs: this.genesis.blockTimeMs,
        adminToken: cfg.adminToken ? 'given' : adminTokenFile(cfg.dataDir),
      },
      'node started',
    );
  }

  /** A block our engine made or decided: import it, and gossip it when accepted. */
  private publishOwnBlock(block: Block, importer: BlockImporter): SubmitOutcome {
    const r = importer.import(block, { local: true });
    if (r.status === 'accepted') {
      this.metrics.blocksProduced.inc();
      this.log.debug({ height: block.header.height, hash: block.hash, slot: block.header.slot, txs: block.txs.length }, 'block produced');
      this.gossip.publishBlock(block);
    } else if (r.status === 'rejected') {
      this.log.error({ height: block.header.height, hash: block.hash, code: r.error.code }, 'own block rejected');
    }
    return r;
  }

  private startLoad(): void {
    const cfg = this.config;
    if (cfg.txRate <= 0) return;
    const { senders, recipients } = loadSenders(cfg.accountsFile, this.genesis, this.key);
    if (senders.length === 0) {
      this.log.info('tx load generator off: no funded accounts to sign with (give --accounts FILE)');
      return;
    }
    const gen = new LoadGenerator(
      { ratePerSec: cfg.txRate, senders, recipients },
      {
        headState: () => this.chain.headState(),
        nextNonce: (s, head) => this.mempool.nextNonce(s, head),
        submit: (tx) => this.submitTx(tx),
        now: () => this.clock.now(),
        logger: this.log.child({ module: 'load' }),
        onRefused: (code) => this.metrics.txsRejected.inc({ code }),
      },
    );
    gen.start();
    this.onStop('load', () => gen.stop());
  }

  /** consensus_height and consensus_rounds follow the engine's status (on head and round changes). */
  private noteConsensusStatus(): void {
    const s = this.engine.status();
    this.metrics.consensusHeight.set(s.height);
    this.metrics.consensusRounds.set(s.round);
  }

  private chaosState(): ChaosState {
    return { rules: this.chaos.rules(), paused: this.paused, clockOffsetMs: this.clock.offsetMs, byzantine: this.engine.misbehaviour?.() ?? null };
  }

  private publishHealth(): void {
    if (this.state !== 'running') return;
    this.stream.publish({ type: 'health', health: this.health() });
  }

  health(): Health {
    const head = this.chain.head();
    return buildHealth({
      node: this.identity,
      chainId: this.chain.chainId,
      genesisHash: this.chain.genesisHash,
      startedAt: this.startedAt,
      head: this.chain.headRef(),
      headTimestamp: head.header.timestamp,
      blockTimeMs: this.genesis.blockTimeMs,
      now: this.clock.now(),
      peers: this.host.counts(),
      configuredPeers: this.host.configuredPeers,
      p2p: this.listener.get(),
      sync: { state: this.catchUp.state, targetHeight: this.catchUp.targetHeight },
      chaos: this.chaosState(),
      engine: this.engine,
      storageRepair: this.storageRepair,
    });
  }

  submitTx(tx: Tx): void {
    try {
      this.mempool.add(tx, this.chain.headState());
    } catch (err) {
      if (err instanceof ChainError) {
        this.metrics.txsRejected.inc({ code: err.code });
        if (isSignatureError(err)) this.metrics.signatureFailures.inc({ what: 'tx' });
      }
      throw err;
    }
    this.metrics.txsAccepted.inc();
    this.metrics.mempoolSize.set(this.mempool.size);
    this.gossip.publishTx(tx);
  }

  private api(): NodeView {
    const changed = (what: string, detail: Record<string, unknown>): ChaosState => {
      const s = this.chaosState();
      this.log.warn({ ...detail, chaos: s }, `chaos: ${what}`);
      return s;
    };
    return {
      health: () => this.health(),
      consensus: () => ({
        engine: this.engine.name,
        status: this.engine.status(),
        roundState: this.engine.roundState(),
        ...(this.engine.evidence ? { evidence: this.engine.evidence() } : {}),
      }),
      head: (): HeadRef => this.chain.headRef(),
      blocksFrom: (from, limit) => this.chain.range(from, limit),
      blockByHash: (hash) => this.chain.getByHash(hash),
      blockByHeight: (height) => this.chain.getByHeight(height),
      account: (address) => ({ address, ...this.chain.account(address), head: this.chain.headRef() }),
      peers: () => this.host.peers(),
      metricsText: () => this.metrics.registry.metrics(),
      metricsContentType: this.metrics.registry.contentType,
      submitTx: (tx) => this.submitTx(tx),
      chaos: () => this.chaosState(),
      setLinkRules: (rules: LinkRule[]) => {
        this.chaos.setRules(rules);
        return changed('link rules replaced', { count: rules.length });
      },
      pause: () => {
        this.paused = true;
        this.stream.publish({ type: 'chaos', chaos: this.chaosState() });
        return changed('paused', {});
      },
      resume: () => {
        this.paused = false;
        this.stream.publish({ type: 'chaos', chaos: this.chaosState() });
        this.catchUp.poke();
        return changed('resumed', {});
      },
      setClockOffset: (ms) => {
        this.clock.setOffset(ms); // the engine re-arms its slot timer (Clock.onChange)
        this.stream.publish({ type: 'chaos', chaos: this.chaosState() });
        return changed('clock offset set', { offsetMs: ms });
      },
      setByzantine: (behaviour) => {
        if (!this.engine.setMisbehaviour)
          throw new CodedError('ENGINE_UNSUPPORTED', `the ${this.engine.name} engine has no byzantine faults (they need an engine with votes, such as bft)`);
        if (behaviour !== null && !this.engine.isValidator(this.key.publicKey))
          throw new CodedError('ENGINE_UNSUPPORTED', 'this node is not a validator: it signs nothing to misbehave with');
        this.engine.setMisbehaviour(behaviour);
        this.stream.publish({ type: 'chaos', chaos: this.chaosState() });
        return changed(behaviour ? `byzantine: ${behaviour.behaviour}` : 'honest again', { behaviour });
      },
    };
  }
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (err: Error) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
