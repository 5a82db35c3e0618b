'use client';
// The peer table per node: a heading per node with its counts (peers carrying traffic, links
// blocked by faults, silent, down), its own reports of its links below. Up to 8 nodes every
// group is open; above that they start collapsed, tile across the page, and opening one closes
// the one open before, so 64 nodes stay a short page.
import { useEffect, useRef, useState } from 'react';
import { PeerTable } from './PeerTable.tsx';
import { groupSummary, groupSummaryLong, type NodeLinkGroup } from './nodeGroups.ts';
import styles from './peers.module.css';

/** A request from outside (a matrix row's name clicked) to open one node's group; `seq` repeats it. */
export interface OpenRequest {
  id: string;
  seq: number;
}

export function PeerGroups({ groups, names, collapsed, request }: { groups: NodeLinkGroup[]; names: Map<string, string>; collapsed: boolean; request?: OpenRequest | null }) {
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const box = useRef<HTMLDivElement>(null);
  const isOpen = (id: string) => toggled.get(id) ?? !collapsed;
  const setOpen = (id: string, open: boolean) => setToggled((prev) => (collapsed ? new Map([[id, open]]) : new Map(prev).set(id, open)));
  const toggle = (id: string) => setOpen(id, !isOpen(id));
  useEffect(() => {
    if (!request) return;
    setToggled((prev) => (collapsed ? new Map([[request.id, true]]) : new Map(prev).set(request.id, true)));
    box.current?.querySelector(`[data-node-id="${CSS.escape(request.id)}"]`)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [request, collapsed]);
  return (
    <div className={styles.groups} data-testid="peer-groups" ref={box}>
      {groups.map((g) => {
        const open = isOpen(g.node.id);
        return (
          <section
            key={g.node.id}
            className={`${styles.group}${open ? ` ${styles.groupOpen}` : ''}`}
            data-testid="peer-group"
            data-node={g.node.name}
            data-node-id={g.node.id}
            data-open={open}
          >
            <button type="button" className={styles.groupHead} aria-expanded={open} title={groupSummaryLong(g.counts)} onClick={() => toggle(g.node.id)}>
              <span aria-hidden="true">{open ? '▾' : '▸'}</span>
              <span className={styles.groupName}>{g.node.name}</span>
              <span className={styles.groupCounts} data-testid="peer-group-counts" data-peers={g.counts.connected}>
                {groupSummary(g.counts)}
              </span>
            </button>
            {open && (
              <div className={styles.groupBody}>
                <PeerTable links={g.links} names={names} showReporter={false} />
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
