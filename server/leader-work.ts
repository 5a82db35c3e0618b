// The control plane's leader-only parts: the indexer, the monitor and its alerts, the event
// feed, the peer poller, chaos (fault expiry timers, clock strobes) and the scenario and
// experiment runners. One process runs them at a time: a lone `npm start` from the start, a
// replica of a cluster while it holds the leader lease (server/cluster). Started together,
// stopped together in reverse order; a new leader builds a fresh set (state lives in Postgres:
// active chaos faults are re-adopted, runs left open by a dead leader are closed).
import '#server-only';
import path from 'node:path';
import type { Logger } from 'pino';
import { NodeApiClient } from '../lib/http/node-client.ts';
import type { ServerConfig } from './config.ts';
import type { PrismaClient } from './db/client.ts';
import type { NodeFleet } from './orchestrator/node-fleet.ts';
import { PrismaIndexStore } from './indexer/prisma-index-store.ts';
import { Indexer } from './indexer/indexer.ts';
import { healthPollTiming } from './indexer/health-poller.ts';
import { NetworkMonitor } from './monitor/network-monitor.ts';
import { AlertManager } from './monitor/alert-manager.ts';
import { EventFeed } from './monitor/event-feed.ts';
import { PeerPoller } from './monitor/peer-poller.ts';
import type { ExplorerQueries } from './read/explorer-queries.ts';
import type { LiveHub } from './live/live-hub.ts';
import { wireLiveUpdates } from './live/live-wiring.ts';
import { ChaosController } from './control/chaos-controller.ts';
import { linkFaultsBetween } from './control/link-faults.ts';
import { RunStore } from './runs/run-store.ts';
import { ScenarioService } from './scenarios/scenario-service.ts';
import { ExperimentService } from './experiments/experiment-service.ts';
import { RunRecorder, type RunningNetwork } from './runs/run-recorder.ts';
import { RunSlot } from './runs/run-slot.ts';
import { startInOrder, type Stopper } from './start-in-order.ts';

export interface LeaderWorkDeps {
  config: ServerConfig;
  prisma: PrismaClient;
  fleet: NodeFleet;
  hub: LiveHub;
  queries: ExplorerQueries;
  token: string;
  /** This process's own API, which scenario and experiment steps call. */
  baseUrl: string;
  projectRoot: string;
  logger: Logger;
}

export interface LeaderWork {
  indexer: Indexer;
  monitor: NetworkMonitor;
  feed: EventFeed;
  peers: PeerPoller;
  chaos: ChaosController;
  scenarios: ScenarioService;
  experiments: ExperimentService;
  /** Stops every part in reverse start order (a run in progress is cancelled first). Idempotent. */
  stop(): Promise<void>;
}

export function startLeaderWork(deps: LeaderWorkDeps): Promise<LeaderWork> {
  const { config, prisma, fleet, hub, logger } = deps;
  return startInOrder(logger, (stoppers, stop) => startParts(deps, stoppers, stop));

  async function startParts(d: LeaderWorkDeps, stoppers: Stopper[], stop: () => Promise<void>): Promise<LeaderWork> {
    const indexer = new Indexer({ store: new PrismaIndexStore(prisma), logger: logger.child({ part: 'indexer' }) });
    for (const n of fleet.nodes()) indexer.follow(n.url, n.source);
    for (const t of config.attachHealthOnly) indexer.followHealthOnly(t, healthPollTiming(config.blockTimeMs));
    indexer.start();
    stoppers.push({ name: 'indexer', stop: () => indexer.stop() });

    const monitor = new NetworkMonitor(indexer, {
      blockTimeMs: config.blockTimeMs,
      fetchConsensus: (url) => new NodeApiClient(url, { timeoutMs: 2_000 }).consensus(),
      onProbeError: (nodeId, err) => logger.debug({ node: nodeId, err: (err as Error).message }, 'halted: could not read the votes a node hears'),
    });
    const alerts = new AlertManager({ prisma, logger: logger.child({ part: 'alerts' }) });
    await alerts.load();
    const feed = new EventFeed();
    monitor.start();
    stoppers.push({ name: 'monitor', stop: () => monitor.stop() });

    const chaos = new ChaosController({
      prisma,
      indexer,
      fleet,
      logger: logger.child({ part: 'chaos' }),
      attachedAdminToken: config.nodeAdminToken ?? null,
      onHeal: () => monitor.noteHeal(),
    });
    await chaos.load();
    stoppers.push({ name: 'chaos', stop: () => chaos.stop() });

    const nodeIds = () => indexer.subscribers().flatMap((s) => (s.nodeId ? [s.nodeId] : []));
    const peers = new PeerPoller(indexer, {
      intervalMs: 2_000,
      logger: logger.child({ part: 'peers' }),
      onUpdate: (links) => hub.pushPeers(links),
      faultsOn: (a, b) => linkFaultsBetween(a, b, chaos.activeLinkFaults(), nodeIds()),
    });

    const runs = new RunStore(prisma);
    const abandoned = await runs.closeAbandoned();
    if (abandoned) logger.warn({ runs: abandoned }, 'runs left running by an earlier process (or leader) closed as cancelled');
    // Experiments and scenarios are recorded the same way, one at a time (their faults would mix).
    const recorder = new RunRecorder({ prisma, runs, token: d.token, logger: logger.child({ part: 'runs' }) });
    const slot = new RunSlot();
    const network = (): RunningNetwork => {
      // What the nodes report wins (an attached network); before any report, what this plane started.
      const reported = monitor.consensus().engine;
      return { engine: reported === 'poa' || reported === 'bft' ? reported : config.consensus, nodes: monitor.nodes(), blockTimeMs: config.blockTimeMs };
    };
    const scenarios = new ScenarioService({
      prisma,
      token: d.token,
      examplesDir: path.join(d.projectRoot, 'scenarios'),
      logger: logger.child({ part: 'scenarios' }),
      network,
      recorder,
      slot,
    });
    const experiments = new ExperimentService({
      recorder,
      runs,
      slot,
      examplesDir: path.join(d.projectRoot, 'experiments'),
      logger: logger.child({ part: 'experiments' }),
      network,
    });
    scenarios.baseUrl = d.baseUrl;
    recorder.baseUrl = d.baseUrl;

    wireLiveUpdates({ indexer, monitor, alerts, feed, queries: d.queries, hub, chaos, logger: logger.child({ part: 'live' }) });
    scenarios.on('changed', (run) => {
      hub.pushScenarioRun(run);
      feed.add({ kind: 'chaos', nodeId: null, message: run.status === 'running' ? `Scenario "${run.name}" started` : `Scenario "${run.name}" ${run.status}` });
    });
    recorder.on('changed', (run) => {
      hub.pushRun(run);
      if (run.kind === 'experiment')
        feed.add({ kind: 'chaos', nodeId: null, message: run.status === 'running' ? `Experiment "${run.name}" started` : `Experiment "${run.name}" ${run.status}` });
    });
    peers.start();
    stoppers.push({ name: 'peer poller', stop: () => peers.stop() });
    // Stopped first: a run in progress is cancelled and heals through the API while it still
    // answers. One that takes longer to close is left to closeAbandoned at the next start.
    stoppers.push({
      name: 'runs',
      stop: async () => {
        const holder = slot.holder();
        if (!holder) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([holder.cancel(), new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
        clearTimeout(timer);
      },
    });
    return { indexer, monitor, feed, peers, chaos, scenarios, experiments, stop };
  }
}
