// Pure: which link rules each node must hold so that every active fault is in force at once.
// The server recomputes a node's whole rule list from the active actions and replaces it on
// the node, so overlapping faults combine and healing one never disturbs another.
import type { LinkRule } from '../../wire/node-api.ts';
import type { ChaosAction, LinkTarget } from '../../wire/chaos-api.ts';
import { nodesOf } from './node-targets.ts';

const LINK_KINDS = ['partition', 'latency', 'loss', 'duplicate', 'bandwidth', 'reorder', 'corrupt', 'partition-shape'] as const;
type LinkFault = Extract<ChaosAction, { kind: (typeof LINK_KINDS)[number] }>;

export function isLinkFault(a: ChaosAction): a is LinkFault {
  return (LINK_KINDS as readonly string[]).includes(a.kind);
}

const blank = { drop: false, delayMs: 0, jitterMs: 0, lossPct: 0, duplicatePct: 0, bandwidthBps: 0 };

/** Rules node `self` applies on its side; faults are enforced on the sending side ('out'). */
export function rulesForNode(self: string, active: ChaosAction[], allNodes: string[]): LinkRule[] {
  const rules: LinkRule[] = [];
  for (const action of active) {
    if (!isLinkFault(action)) continue;
    if (action.kind === 'partition') {
      const mine = action.groups.findIndex((g) => g.includes(self));
      if (mine < 0) continue;
      for (const [i, group] of action.groups.entries()) {
        if (i === mine) continue;
        for (const peer of group) {
          // Two-way: drop both directions. One-way: the first group hears nothing from the others.
          if (!action.oneWay) rules.push({ ...blank, peer, direction: 'both', drop: true });
          else if (mine === 0) rules.push({ ...blank, peer, direction: 'in', drop: true });
          else if (i === 0) rules.push({ ...blank, peer, direction: 'out', drop: true });
        }
      }
      continue;
    }
    if (action.kind === 'partition-shape') {
      rules.push(...shapeRules(self, action));
      continue;
    }
    for (const peer of linkPeers(self, action.target, allNodes)) {
      const rule: LinkRule = { ...blank, peer, direction: 'out' };
      Object.assign(rule, linkShape(action));
      rules.push(rule);
    }
  }
  return rules;
}

/**
 * A resolved partition shape: `self` drops both directions to every node of the resolution
 * outside its view (nodes that joined later are not in it and keep their links). Unresolved, it
 * holds no rule: the controller resolves every shape before it is recorded.
 */
function shapeRules(self: string, action: Extract<ChaosAction, { kind: 'partition-shape' }>): LinkRule[] {
  const view = action.resolved?.views[self];
  if (!view) return [];
  return Object.keys(action.resolved!.views)
    .filter((peer) => peer !== self && !view.includes(peer))
    .map((peer) => ({ ...blank, peer, direction: 'both' as const, drop: true }));
}

/** What one (non-partition) link fault asks of each link it covers; optional fields only when set. */
function linkShape(action: Exclude<LinkFault, { kind: 'partition' | 'partition-shape' }>): Partial<LinkRule> {
  const seed = 'seed' in action && action.seed !== undefined ? { seed: action.seed } : {};
  switch (action.kind) {
    case 'latency':
      return { delayMs: action.delayMs, jitterMs: action.jitterMs, ...seed, ...(action.correlation ? { delayCorrelationPct: action.correlation } : {}) };
    case 'loss':
      return { lossPct: action.pct, ...seed, ...(action.correlation ? { lossCorrelationPct: action.correlation } : {}) };
    case 'duplicate':
      return { duplicatePct: action.pct, ...seed, ...(action.correlation ? { duplicateCorrelationPct: action.correlation } : {}) };
    case 'bandwidth':
      return { bandwidthBps: action.bytesPerSec, ...(action.burst ? { bandwidthBurstBytes: action.burst } : {}) };
    case 'reorder':
      return { reorderPct: action.pct, reorderGap: action.gap, ...seed, ...(action.correlation ? { reorderCorrelationPct: action.correlation } : {}) };
    case 'corrupt':
      return { corruptPct: action.pct, ...seed, ...(action.correlation ? { corruptCorrelationPct: action.correlation } : {}) };
  }
}

/** The peers of `self` whose outgoing link from `self` the target covers. */
function linkPeers(self: string, target: LinkTarget, allNodes: string[]): string[] {
  const others = allNodes.filter((n) => n !== self);
  if (target.node) return target.node === self ? others : [target.node];
  if (target.from && target.from !== self) return [];
  if (target.to) return target.to === self ? [] : [target.to];
  return others;
}

/** Node ids an action names (for validation and the record). */
export function actionTargets(a: ChaosAction, allNodes: string[]): string[] {
  switch (a.kind) {
    case 'partition':
      return a.groups.flat();
    case 'latency':
    case 'loss':
    case 'duplicate':
    case 'bandwidth':
    case 'reorder':
    case 'corrupt':
      return a.target.node ? [a.target.node] : [a.target.from, a.target.to].filter((x): x is string => !!x).concat(a.target.from || a.target.to ? [] : allNodes);
    case 'partition-shape':
      // isolate: the nodes cut off; the other shapes touch every node they resolved over.
      if (!a.resolved) return [];
      return a.shape === 'isolate' ? a.resolved.groups[0] : Object.keys(a.resolved.views).sort();
    case 'pause':
    case 'resume':
    case 'clock-skew':
    case 'clock-strobe':
    case 'clock-bump':
    case 'kill':
    case 'restart':
    case 'equivocate':
    case 'withhold-votes':
    case 'delay-proposals':
      return nodesOf(a);
    case 'storage-truncate':
    case 'storage-bitflip':
      return [a.node];
    case 'heal':
    case 'add-node':
      return [];
  }
}

/** Words for one link fault, as the UI shows it on a link. */
export function describeLinkFault(a: ChaosAction): string {
  switch (a.kind) {
    case 'partition':
      return a.oneWay ? 'one-way partition' : 'partition';
    case 'latency':
      return `latency ${a.delayMs}±${a.jitterMs} ms`;
    case 'loss':
      return `loss ${a.pct}%`;
    case 'duplicate':
      return `duplicate ${a.pct}%`;
    case 'bandwidth':
      return `bandwidth ${a.bytesPerSec} B/s${a.burst ? ` burst ${a.burst} B` : ''}`;
    case 'reorder':
      return `reorder ${a.pct}% gap ${a.gap}`;
    case 'corrupt':
      return `corrupt ${a.pct}%`;
    case 'partition-shape':
      return `${a.shape} partition`;
    default:
      return a.kind;
  }
}

/** One active fault on a link, in words, and whether it stops everything the reporting node
 *  would receive on it (a partition, or 100 % loss toward it): such a link carries nothing to
 *  that node, whatever its socket says. */
export interface LinkFaultNote {
  label: string;
  blocks: boolean;
}

const dropsAll = (r: LinkRule) => r.drop || r.lossPct >= 100;

/** The active faults on the link that `node` reports to `peer` (either direction), oldest first;
 *  `blocks` when nothing from `peer` reaches `node`: dropped on `node`'s way in or `peer`'s way out.
 *  A one-way partition blocks one end's report only: the other end still hears its peer. */
export function linkFaultsBetween(node: string, peer: string, active: Array<{ id: number; action: ChaosAction }>, allNodes: string[]): LinkFaultNote[] {
  const out: LinkFaultNote[] = [];
  for (const { id, action } of active) {
    if (!isLinkFault(action)) continue;
    const onNode = rulesForNode(node, [action], allNodes).filter((r) => r.peer === peer);
    const onPeer = rulesForNode(peer, [action], allNodes).filter((r) => r.peer === node);
    if (onNode.length + onPeer.length === 0) continue;
    const blocks = onNode.some((r) => r.direction !== 'out' && dropsAll(r)) || onPeer.some((r) => r.direction !== 'in' && dropsAll(r));
    out.push({ label: `${describeLinkFault(action)} #${id}`, blocks });
  }
  return out;
}

/** The active faults that touch the link between two nodes (either direction). */
export function faultsOnLink(a: string, b: string, active: Array<{ id: number; action: ChaosAction }>, allNodes: string[]): string[] {
  return linkFaultsBetween(a, b, active, allNodes).map((f) => f.label);
}
