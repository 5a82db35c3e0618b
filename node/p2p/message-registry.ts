// The reactor registry (CometBFT's reactors meeting at the switch): each layer above P2P
// (gossip, catch-up, the consensus engine) registers the message types it owns, with their
// payload schemas and handlers, and its peer hooks. P2P validates every envelope against the
// registered schema before a handler runs and dispatches by one Map lookup; it knows nothing
// of what the messages mean. hello and reject belong to P2P itself and cannot be taken.
import { P2PError } from './errors.ts';
import { HelloMsg, MESSAGE_TYPE_PATTERN, RejectMsg, type MessageDef } from './messages.ts';
import type { PeerConnection } from './peer-connection.ts';

export interface MessageHandler<P = unknown> extends MessageDef<P> {
  /**
   * Is this (schema-valid, not yet signature-checked) message something we already hold?
   * Then it is dropped unverified: the gossip echo of a mesh costs no signature check.
   */
  isDuplicate?(payload: P): boolean;
  /** A message from a connected peer, its payload schema-valid and its envelope signed by that peer. */
  handle(peer: PeerConnection, payload: P): void;
}

/** Binds a handler to a message definition, keeping the payload type. */
export function handler<P>(def: MessageDef<P>, h: Pick<MessageHandler<P>, 'handle' | 'isDuplicate'>): MessageHandler<P> {
  return { type: def.type, schema: def.schema, handle: h.handle, ...(h.isDuplicate ? { isDuplicate: h.isDuplicate } : {}) };
}

/** A part of the node that speaks on the P2P network: the messages it owns and its peer hooks. */
export interface Reactor {
  readonly name: string;
  /** Handlers of different payload types side by side; each payload is checked against its own schema. */
  readonly messages: readonly MessageHandler<unknown>[];
  /** A peer finished its handshake (after the host's own bookkeeping). */
  peerConnected?(peer: PeerConnection): void;
  /** A kept link to a peer closed. */
  peerDisconnected?(peer: PeerConnection): void;
}

export interface RegisteredMessage {
  owner: string;
  handler: MessageHandler;
}

const P2P_OWNER = 'p2p';
const handledByConnection = (): void => {};

export class MessageRegistry {
  private readonly byType = new Map<string, RegisteredMessage>();
  private readonly list: Reactor[] = [];

  constructor() {
    for (const def of [HelloMsg, RejectMsg] as MessageDef<unknown>[]) {
      this.byType.set(def.type, { owner: P2P_OWNER, handler: { ...def, handle: handledByConnection } });
    }
  }

  /** Registers every message of a reactor; throws when a type is malformed or already taken. */
  add(reactor: Reactor): void {
    const seen = new Set<string>();
    for (const h of reactor.messages) {
      if (!MESSAGE_TYPE_PATTERN.test(h.type))
        throw new P2PError('MESSAGE_TYPE_INVALID', `${reactor.name}: message type ${JSON.stringify(h.type)} does not match ${MESSAGE_TYPE_PATTERN}`);
      const taken = this.byType.get(h.type)?.owner ?? (seen.has(h.type) ? reactor.name : null);
      if (taken !== null) throw new P2PError('MESSAGE_TYPE_TAKEN', `${reactor.name}: message type ${JSON.stringify(h.type)} is already registered by ${taken}`);
      seen.add(h.type);
    }
    for (const h of reactor.messages) this.byType.set(h.type, { owner: reactor.name, handler: h });
    this.list.push(reactor);
  }

  get(type: string): MessageHandler | undefined {
    return this.byType.get(type)?.handler;
  }

  ownerOf(type: string): string | undefined {
    return this.byType.get(type)?.owner;
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  reactors(): readonly Reactor[] {
    return this.list;
  }
}

/** What may read a registry without changing it (tests, fuzzers). */
export type ReadonlyMessageRegistry = Pick<MessageRegistry, 'get' | 'types'>;
