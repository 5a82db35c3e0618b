'use client';
// The browser's single Socket.IO connection. Hooks subscribe to rooms through it; it
// reconnects by itself after the server restarts and re-joins the rooms in use.
import { useEffect, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveRoom, ServerToClientEvents } from '../../wire/live-events.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | null = null;
const roomUsers = new Map<LiveRoom, number>();

function getSocket(): LiveSocket {
  if (!socket) {
    // WebSocket only: one long-lived connection to one replica, so a cluster behind a load
    // balancer needs no sticky sessions (HTTP long-polling spreads a session's requests over
    // replicas that do not share it). A replica that dies drops the socket; the reconnect lands
    // on another and useReconnected's readers refetch what they show.
    socket = io({ transports: ['websocket'], reconnectionDelayMax: 5_000 });
    socket.on('connect', () => socket!.emit('subscribe', [...roomUsers.keys()]));
    // A server that shuts down cleanly disconnects its sockets itself, and socket.io-client
    // does not retry after such a disconnect on its own: ask again, then its backoff takes over.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') setTimeout(() => socket!.connect(), 1_000);
    });
  }
  return socket;
}

/** Join `room` while the calling component is mounted and run `handler` for `event`. */
export function useLiveEvent<E extends keyof ServerToClientEvents>(room: LiveRoom, event: E, handler: ServerToClientEvents[E]): void {
  useEffect(() => {
    const s = getSocket();
    roomUsers.set(room, (roomUsers.get(room) ?? 0) + 1);
    if (s.connected) s.emit('subscribe', [room]);
    // Socket.IO's typed `on` cannot relate a generic event name to its handler type.
    s.on(event, handler as never);
    return () => {
      s.off(event, handler as never);
      const left = (roomUsers.get(room) ?? 1) - 1;
      if (left <= 0) {
        roomUsers.delete(room);
        s.emit('unsubscribe', [room]);
      } else roomUsers.set(room, left);
    };
  }, [room, event, handler]);
}

/**
 * Run `onAgain` each time the connection comes back after it was lost (server restart,
 * network blip), and when the server says pushes may have been lost (`live:resync`: a new
 * leader of a cluster took over): cached reads should be refreshed.
 */
export function useReconnected(onAgain: () => void): void {
  useEffect(() => {
    const s = getSocket();
    let wasDown = false;
    const down = () => {
      wasDown = true;
    };
    const up = () => {
      if (wasDown) onAgain();
      wasDown = false;
    };
    s.on('disconnect', down);
    s.on('connect', up);
    s.on('live:resync', onAgain);
    return () => {
      s.off('disconnect', down);
      s.off('connect', up);
      s.off('live:resync', onAgain);
    };
  }, [onAgain]);
}

function subscribeConnection(onChange: () => void): () => void {
  const s = getSocket();
  s.on('connect', onChange);
  s.on('disconnect', onChange);
  return () => {
    s.off('connect', onChange);
    s.off('disconnect', onChange);
  };
}

/** Whether the live connection is up (for the "live" indicator). */
export function useLiveConnected(): boolean {
  return useSyncExternalStore(
    subscribeConnection,
    () => getSocket().connected,
    () => false,
  );
}
