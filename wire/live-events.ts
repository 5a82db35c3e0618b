// Socket.IO events between the control plane's live hub (server/live) and the explorer
// (app/). Both ends import these names and payload types; nothing else defines them.
import type { BlockSummary, NetworkConsensus, NodeStatus } from './explorer-api.ts';

/** Rooms a browser can join; each maps to one concern so pages only get what they show. */
export const LiveRooms = ['blocks', 'network'] as const;
export type LiveRoom = (typeof LiveRooms)[number];

export interface ServerToClientEvents {
  /** New blocks indexed since the last tick, newest first (batched per tick). */
  'blocks:new': (blocks: BlockSummary[]) => void;
  /** Every node's status; sent when anything changed, at most once per tick. */
  'nodes:update': (nodes: NodeStatus[]) => void;
  'network:consensus': (consensus: NetworkConsensus) => void;
}

export interface ClientToServerEvents {
  subscribe: (rooms: LiveRoom[]) => void;
  unsubscribe: (rooms: LiveRoom[]) => void;
}
