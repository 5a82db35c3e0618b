// The live event feed: a bounded, newest-first list of what happened in the network (new
// blocks, reorgs, peers coming and going, alerts, chaos actions) in words a user reads.
import { EventEmitter } from 'node:events';
import type { NetworkEvent } from '../../wire/explorer-api.ts';

export class EventFeed extends EventEmitter<{ event: [NetworkEvent] }> {
  private readonly events: NetworkEvent[] = [];
  private counter = 0;

  constructor(private readonly capacity = 500) {
    super();
  }

  add(e: Omit<NetworkEvent, 'id' | 'at'> & { at?: number }): NetworkEvent {
    const event: NetworkEvent = { id: `${Date.now().toString(36)}-${++this.counter}`, at: e.at ?? Date.now(), kind: e.kind, nodeId: e.nodeId, message: e.message };
    this.events.unshift(event);
    if (this.events.length > this.capacity) this.events.length = this.capacity;
    this.emit('event', event);
    return event;
  }

  recent(limit: number, keep: (e: NetworkEvent) => boolean = () => true): NetworkEvent[] {
    const out: NetworkEvent[] = [];
    for (const e of this.events) {
      if (out.length >= limit) break;
      if (keep(e)) out.push(e);
    }
    return out;
  }
}
