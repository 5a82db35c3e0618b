// Socket.IO events between the control plane's live hub (server/live) and the explorer
// (app/). Both ends import these names and payload types; nothing else defines them.
import type { ChaosRecord } from './chaos-api.ts';
import type { ScenarioRunRecord } from './scenario.ts';
import type { RunSummary } from './run-api.ts';
import type { AlertRecord, BlockSummary, NetworkConsensus, NetworkEvent, NodeStatus, NodesResponse, PeerLinkInfo } from './explorer-api.ts';

/** Rooms a browser can join; each maps to one concern so pages only get what they show. */
export const LiveRooms = ['blocks', 'network', 'heads', 'events', 'peers', 'chaos', 'consensus', 'runs'] as const;
export type LiveRoom = (typeof LiveRooms)[number];

/** One move of one node's head, as the live hub numbered it (room 'heads'). */
export interface HeadChange {
  /**
   * Hub-wide sequence number: +1 for every head change of any node since the server started
   * (it starts again at 1 after a restart). A client sees consecutive numbers; a gap means it
   * missed changes (re-read the API), a number seen before is a duplicate to ignore.
   */
  seq: number;
  nodeId: string;
  height: number;
  hash: string;
  /** Blocks the move replaced (0 when the head simply extended its chain). */
  reorgDepth: number;
  /** When the node accepted the head (the node's clock, ms since the epoch). */
  at: number;
}

export interface ServerToClientEvents {
  /**
   * Every head change of every node, oldest first, none merged or dropped: sent soon after
   * the first change (leading edge) and then at most once per short interval while they keep
   * coming, so a burst is batched rather than flooding the page.
   */
  'heads:new': (heads: HeadChange[]) => void;
  /** New blocks indexed since the last tick (and blocks whose holders changed), newest first. */
  'blocks:new': (blocks: BlockSummary[]) => void;
  /**
   * Every node's status, and (second argument) the network verdict of the same evaluation with
   * its number: sent when either changed, at most once per tick. A page that shows rows, lag
   * and the verdict together takes all three from here (GET /api/nodes answers the same
   * snapshot); the verdict is an argument of its own so that readers of the rows alone keep
   * their one-argument handler.
   */
  'nodes:update': (nodes: NodeStatus[], snapshot: Omit<NodesResponse, 'nodes'>) => void;
  'network:consensus': (consensus: NetworkConsensus) => void;
  /** Active alerts, whenever one is raised or cleared. */
  'alerts:update': (active: AlertRecord[]) => void;
  /** Feed lines since the last tick, newest first. */
  'events:new': (events: NetworkEvent[]) => void;
  /** Every link as the nodes last reported it (polled). */
  'peers:update': (links: PeerLinkInfo[]) => void;
  /** A chaos action was applied or reverted: the active faults now, and what changed. */
  'chaos:update': (update: { active: ChaosRecord[]; changed: ChaosRecord[] }) => void;
  /** A scenario run started or finished (room 'chaos'). */
  'scenarios:update': (run: ScenarioRunRecord) => void;
  /** A recorded run (experiment, scenario or soak) opened or closed: its list line (room 'runs', public). */
  'runs:update': (run: RunSummary) => void;
  /**
   * To every client, in no room: pushes may have been lost (a new leader of a cluster took over
   * from one that died mid-push): refetch what is shown, as after a reconnect.
   */
  'live:resync': () => void;
  /**
   * Some node's consensus moved (a round or step, votes, a commit, evidence; room
   * 'consensus'): re-read GET /api/consensus. A notice, not the state, at most 4 a second.
   */
  'consensus:changed': (notice: ConsensusNotice) => void;
}

/** What moved since the last 'consensus:changed' (for the page to decide what to refetch). */
export interface ConsensusNotice {
  /** The stream event types seen ('round', 'votes', 'commit', 'evidence'). */
  kinds: string[];
  /** The highest height any of them named. */
  height: number | null;
}

export interface ClientToServerEvents {
  subscribe: (rooms: LiveRoom[]) => void;
  unsubscribe: (rooms: LiveRoom[]) => void;
}
