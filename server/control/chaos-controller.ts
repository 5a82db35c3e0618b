// Applies chaos actions: link faults and node faults through each node's /admin API, process
// faults (kill, restart, add) through the fleet's lifecycle (a local testnet or a Kubernetes
// StatefulSet), storage faults on the block log of a stopped local node (storage-faults.ts).
// Every action is recorded before it runs and updated with its per-node result; time-limited
// actions revert themselves; on a server restart the active ones are adopted again from the
// database.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import type { Indexer } from '../indexer/indexer.ts';
import type { NodeFleet } from '../orchestrator/node-fleet.ts';
import { ChaosActionSchema, LASTING_CHAOS_KINDS, isOkResult, type ChaosAction, type ChaosRecord, type ChaosResponse } from '../../wire/chaos-api.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { HEALTH_ONLY_ID_PREFIX } from '../indexer/health-target.ts';
import { adminCall, readClockOffset, type NodeHandle } from './node-admin.ts';
import { actionTargets, isLinkFault, rulesForNode } from './link-faults.ts';
import { isByzantineFault, misbehaviourOf } from './byzantine-faults.ts';
import { withResolvedShape } from './partition-shapes.ts';
import { drawSeed } from './target-selectors.ts';
import { isNodeTargeted, nodesOf, withResolvedTargets, type NodeTargetedAction } from './node-targets.ts';
import { ClockStrobe } from './clock-strobe.ts';
import { damageBlockLog, isStorageFault, withStorageSeed, type StorageFaultAction } from './storage-faults.ts';
import { resolveNames } from './node-names.ts';
import { blockLogPath } from '../../node/data-dir.ts';

export type ChaosErrorCode = 'CHAOS_UNKNOWN_NODE' | 'CHAOS_BAD_PARTITION' | 'CHAOS_NOT_LOCAL' | 'CHAOS_NOT_ACTIVE' | 'CHAOS_NODE_LIMIT' | 'CHAOS_NODE_RUNNING';

/** Why an action cannot be applied; the API maps the code to a status (lib/http/status-policy.ts). */
export class ChaosError extends CodedError<ChaosErrorCode> {}

/** Kinds that stay in force until reverted (and so are "active faults"). */
const LASTING: ReadonlySet<string> = new Set(LASTING_CHAOS_KINDS);

interface ActiveFault {
  record: ChaosRecord;
  action: ChaosAction;
  timer: NodeJS.Timeout | null;
}

export interface ChaosControllerDeps {
  prisma: PrismaClient;
  indexer: Indexer;
  fleet: NodeFleet;
  logger: Logger;
  /** Admin token for attached nodes (local nodes' tokens come from the testnet). */
  attachedAdminToken: string | null;
  /** Told when a heal was applied, so convergence is measured from it. */
  onHeal: () => void;
}

export class ChaosController extends EventEmitter<{ changed: [ChaosRecord] }> {
  private readonly active = new Map<number, ActiveFault>();
  /** Running clock strobes by action id, one per node (see clock-strobe.ts for why the controller runs them). */
  private readonly strobes = new Map<number, ClockStrobe[]>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ChaosControllerDeps) {
    super();
  }

  /** Re-adopt faults that were active when the server last stopped. */
  async load(): Promise<void> {
    const rows = await this.deps.prisma.chaosAction.findMany({ where: { revertedAt: null, status: { in: ['applied', 'partial'] } }, orderBy: { id: 'asc' } });
    for (const row of rows) {
      const parsed = ChaosActionSchema.safeParse({ ...(row.params as object), kind: row.kind });
      if (!parsed.success || !LASTING.has(row.kind)) continue;
      const record = toRecord(row);
      this.active.set(row.id, { record, action: parsed.data, timer: this.scheduleExpiry(row.id, record.expiresAt) });
      const action = parsed.data;
      if (action.kind === 'clock-strobe') {
        const handles = await this.nodeHandles();
        for (const n of handles.filter((h) => nodesOf(action).includes(h.id))) await this.startStrobe(row.id, n, action);
      }
    }
  }

  stop(): void {
    for (const a of this.active.values()) if (a.timer) clearTimeout(a.timer);
    for (const s of [...this.strobes.values()].flat()) void s.stop();
    this.strobes.clear();
  }

  async list(limit = 100): Promise<ChaosResponse> {
    const rows = await this.deps.prisma.chaosAction.findMany({ orderBy: { id: 'desc' }, take: limit });
    return { active: this.activeRecords(), history: rows.map(toRecord) };
  }

  /** Active link faults with their ids, for annotating links. */
  activeLinkFaults(): Array<{ id: number; action: ChaosAction }> {
    return [...this.active.entries()].filter(([, a]) => isLinkFault(a.action)).map(([id, a]) => ({ id, action: a.action }));
  }

  activeRecords(): ChaosRecord[] {
    return [...this.active.values()].map((a) => a.record).sort((a, b) => b.id - a.id);
  }

  /** Actions run one at a time: two overlapping partitions must not interleave their rule pushes. */
  apply(action: ChaosAction, actor: string): Promise<ChaosRecord> {
    const run = this.queue.then(() => this.applyNow(action, actor));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(request: ChaosAction, actor: string): Promise<ChaosRecord> {
    const nodes = await this.nodeHandles();
    const ids = nodes.map((n) => n.id);
    // Nodes may be named as the explorer shows them (node-1) or by id; the record keeps ids.
    const idOf = new Map(nodes.map((n) => [n.name, n.id]));
    const byId = resolveNames(request, (ref) => (ids.includes(ref) ? ref : (idOf.get(ref) ?? ref)));
    // Shapes become groups and selectors node ids now, over the nodes known now, and are
    // recorded so (with their seed); a bitflip's seed is drawn now too.
    const action = withStorageSeed(withResolvedTargets(withResolvedShape(byId, ids, drawSeed), ids, drawSeed), drawSeed);
    this.validate(action, ids);
    if (isStorageFault(action)) this.storedLogOf(action, nodes);
    const targets = action.kind === 'heal' ? [] : actionTargets(action, ids);
    const { kind, ...params } = action;
    const durationSec = 'durationSec' in action ? action.durationSec : undefined;
    const row = await this.deps.prisma.chaosAction.create({
      data: {
        actor,
        kind,
        params: params as object,
        targets,
        status: 'pending',
        expiresAt: durationSec ? new Date(Date.now() + durationSec * 1000) : null,
      },
    });

    let result: Record<string, string>;
    try {
      result = await this.effect(action, row.id, nodes);
    } catch (err) {
      result = { error: (err as Error).message };
    }
    const failed = Object.values(result).filter((r) => !isOkResult(r)).length;
    const status = failed === 0 ? 'applied' : failed === Object.keys(result).length ? 'failed' : 'partial';
    const updated = await this.deps.prisma.chaosAction.update({
      where: { id: row.id },
      data: { status, result },
    });
    const record = toRecord(updated);
    if (status === 'failed' && this.strobes.has(row.id)) {
      // A strobe whose first flip failed is not a fault in force: it must not flip on unrecorded.
      for (const strobe of this.strobes.get(row.id)!) await strobe.stop();
      this.strobes.delete(row.id);
    }
    if (LASTING.has(kind) && status !== 'failed') {
      this.active.set(row.id, { record, action, timer: this.scheduleExpiry(row.id, record.expiresAt) });
    }
    this.deps.logger.info({ action: kind, id: row.id, actor, status, result }, 'chaos action');
    this.emit('changed', record);
    return record;
  }

  private validate(action: ChaosAction, ids: string[]): void {
    const known = new Set(ids);
    const unknown = action.kind === 'heal' ? [] : actionTargets(action, ids).filter((t) => !known.has(t));
    const headOnly = unknown.filter((t) => t.startsWith(HEALTH_ONLY_ID_PREFIX));
    if (headOnly.length) throw new ChaosError('CHAOS_UNKNOWN_NODE', `${headOnly.join(', ')}: health-only node(s), watched through /health alone; chaos needs a node's admin API`);
    if (unknown.length) throw new ChaosError('CHAOS_UNKNOWN_NODE', `unknown node(s): ${unknown.join(', ')} (name a node by its id or its name; see GET /api/nodes)`);
    if (action.kind === 'partition') {
      const all = action.groups.flat();
      if (new Set(all).size !== all.length) throw new ChaosError('CHAOS_BAD_PARTITION', 'a node may be in only one group');
    }
    const lifecycle = this.deps.fleet.lifecycle;
    if ((action.kind === 'kill' || action.kind === 'restart' || action.kind === 'add-node') && !lifecycle) {
      throw new ChaosError('CHAOS_NOT_LOCAL', `${action.kind} needs a fleet that owns its nodes (local or Kubernetes); attached nodes are not ours to start or stop`);
    }
    const refusal = action.kind === 'add-node' ? lifecycle?.addNodeRefusal() : null;
    if (refusal) throw new ChaosError('CHAOS_NODE_LIMIT', refusal);
    if (action.kind === 'heal' && action.actionId !== undefined && !this.active.has(action.actionId)) {
      throw new ChaosError('CHAOS_NOT_ACTIVE', `action ${action.actionId} is not active`);
    }
  }

  private async effect(action: ChaosAction, id: number, nodes: NodeHandle[]): Promise<Record<string, string>> {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    switch (action.kind) {
      case 'partition':
      case 'latency':
      case 'loss':
      case 'duplicate':
      case 'bandwidth':
      case 'partition-shape':
      case 'reorder':
      case 'corrupt':
        return this.pushRules(nodes, { id, action });
      case 'heal': {
        const all = action.actionId === undefined;
        const ids = all ? [...this.active.keys()] : [action.actionId!];
        const byzantineNodes = new Set([...this.active.values()].flatMap((a) => (isByzantineFault(a.action) ? nodesOf(a.action) : [])));
        const result: Record<string, string> = {};
        // Healing everything undoes every effect once below, not once per fault.
        for (const faultId of ids) Object.assign(result, await this.revert(faultId, nodes, { undo: !all }));
        if (all) {
          // Heal everything also clears what an earlier run or a hand-made rule left behind.
          Object.assign(result, await this.pushRules(nodes));
          for (const n of nodes) {
            result[`${n.name}: resume`] = await adminCall(n, 'adminResume', {});
            result[`${n.name}: clock`] = await adminCall(n, 'adminClock', { body: { offsetMs: 0 } });
            // Only nodes told to misbehave (an engine without byzantine faults would answer 409).
            if (byzantineNodes.has(n.id)) result[`${n.name}: honest`] = await adminCall(n, 'adminByzantine', { body: { byzantine: null } });
          }
        }
        this.deps.onHeal();
        return Object.keys(result).length ? result : { network: 'ok' };
      }
      case 'pause':
        return this.onEachNode(action, byId, (n) => adminCall(n, 'adminPause', {}));
      case 'resume':
        await this.endFaultsOn(action, nodes, (a) => a.kind === 'pause');
        return this.onEachNode(action, byId, (n) => adminCall(n, 'adminResume', {}));
      case 'clock-skew':
        await this.endFaultsOn(action, nodes, (a) => a.kind === 'clock-strobe');
        return this.onEachNode(action, byId, (n) => adminCall(n, 'adminClock', { body: { offsetMs: action.offsetMs } }));
      case 'clock-strobe':
        await this.endFaultsOn(action, nodes, (a) => a.kind === 'clock-strobe');
        return this.onEachNode(action, byId, (n) => this.startStrobe(id, n, action));
      case 'clock-bump':
        await this.endFaultsOn(action, nodes, (a) => a.kind === 'clock-strobe');
        return this.onEachNode(action, byId, async (n) => {
          const current = await readClockOffset(n);
          if (typeof current === 'string') return current;
          return adminCall(n, 'adminClock', { body: { offsetMs: current + action.deltaMs } });
        });
      case 'equivocate':
      case 'withhold-votes':
      case 'delay-proposals':
        // One byzantine behaviour per node: a new one replaces the old.
        await this.endFaultsOn(action, nodes, isByzantineFault);
        return this.onEachNode(action, byId, (n) => adminCall(n, 'adminByzantine', { body: { byzantine: misbehaviourOf(action) } }));
      case 'kill':
      case 'restart': {
        // Per node: one the fleet does not own fails alone; the others still go.
        const lifecycle = this.deps.fleet.lifecycle!;
        return this.onEachNode(action, byId, async (n) => {
          if (action.kind === 'kill') return lifecycle.kill(n.url);
          await lifecycle.restart(n.url);
          return 'ok';
        });
      }
      case 'add-node': {
        const info = await this.deps.fleet.lifecycle!.addNode();
        this.deps.indexer.follow(info.url, info.source);
        return { [info.name]: 'ok' };
      }
      case 'storage-truncate':
      case 'storage-bitflip': {
        const file = this.storedLogOf(action, nodes);
        const name = byId.get(action.node)!.name;
        try {
          return { [name]: damageBlockLog(file, action) };
        } catch (err) {
          return { [name]: (err as Error).message };
        }
      }
    }
  }

  /**
   * The block log a storage fault damages: only a local node's, and only while it is stopped
   * (a running node holds the file open and would overwrite or serve around the damage).
   * Checked before the action is recorded, and again right before the damage.
   */
  private storedLogOf(action: StorageFaultAction, nodes: NodeHandle[]): string {
    const n = nodes.find((h) => h.id === action.node)!;
    const local = n.localIndex === null ? undefined : this.deps.fleet.testnet?.nodes().find((l) => l.index === n.localIndex);
    if (!local) throw new ChaosError('CHAOS_NOT_LOCAL', `${action.kind} needs a local node; ${n.name} is not ours, its disk is not ours to damage`);
    if (local.running) throw new ChaosError('CHAOS_NODE_RUNNING', `${action.kind} needs ${n.name} stopped: kill it first, restart it after`);
    return blockLogPath(local.dataDir);
  }

  /**
   * Undo one active fault and record it as reverted. `undo: false` only records it (the caller
   * undoes everything); `except` names nodes the caller undoes itself (the fault is undone on
   * its other nodes: a fault ends whole).
   */
  private async revert(faultId: number, nodes?: NodeHandle[], opts: { undo: boolean; except?: ReadonlySet<string> } = { undo: true }): Promise<Record<string, string>> {
    const fault = this.active.get(faultId);
    if (!fault) return {};
    if (fault.timer) clearTimeout(fault.timer);
    this.active.delete(faultId);
    const all = nodes ?? (await this.nodeHandles());
    const byId = new Map(all.map((n) => [n.id, n]));
    let result: Record<string, string> = {};
    const a = fault.action;
    // A strobe stops whether or not the caller undoes (else it would flip on after a heal).
    const strobes = this.strobes.get(faultId) ?? [];
    this.strobes.delete(faultId);
    for (const strobe of strobes) await strobe.stop();
    if (opts.undo) {
      if (isLinkFault(a)) result = await this.pushRules(all);
      else if (isNodeTargeted(a)) {
        const except = opts.except ?? new Set<string>();
        const undoOn = (n: NodeHandle) => this.undoOn(a, n);
        result = await this.onEachNode(a, byId, undoOn, (nodeId) => !except.has(nodeId));
      }
    }
    const row = await this.deps.prisma.chaosAction.update({ where: { id: faultId }, data: { revertedAt: new Date(), status: 'reverted' } });
    const record = toRecord(row);
    this.emit('changed', record);
    return result;
  }

  private scheduleExpiry(faultId: number, expiresAt: number | null): NodeJS.Timeout | null {
    if (expiresAt === null) return null;
    const t = setTimeout(
      () => {
        this.queue = this.queue
          .then(() => this.revert(faultId))
          .then(() => this.deps.onHeal())
          .catch((err: Error) => this.deps.logger.error({ err, action: faultId }, 'could not revert an expired chaos action'));
      },
      Math.max(0, expiresAt - Date.now()),
    );
    t.unref();
    return t;
  }

  /** Replace every node's link rules with what the active faults (plus `extra`) demand. */
  private async pushRules(nodes: NodeHandle[], extra?: { id: number; action: ChaosAction }): Promise<Record<string, string>> {
    const actions = [...this.active.values()].map((a) => a.action);
    if (extra && !this.active.has(extra.id)) actions.push(extra.action);
    const ids = nodes.map((n) => n.id);
    const results = await Promise.all(nodes.map(async (n) => [n.name, await adminCall(n, 'adminSetRules', { body: { rules: rulesForNode(n.id, actions, ids) } })] as const));
    return Object.fromEntries(results);
  }

  /** What undoes a lasting node fault on one node; 'ok' for kinds with nothing to undo. */
  private undoOn(a: NodeTargetedAction, n: NodeHandle): Promise<string> {
    if (a.kind === 'pause') return adminCall(n, 'adminResume', {});
    if (a.kind === 'clock-skew' || a.kind === 'clock-strobe') return adminCall(n, 'adminClock', { body: { offsetMs: 0 } });
    if (isByzantineFault(a)) return adminCall(n, 'adminByzantine', { body: { byzantine: null } });
    return Promise.resolve('ok');
  }

  /**
   * Run `fn` on each node the action targets that `which` keeps (all by default), at once;
   * the results by node name, as the record keeps them. Nodes no longer known are skipped.
   */
  private async onEachNode(
    action: NodeTargetedAction,
    byId: ReadonlyMap<string, NodeHandle>,
    fn: (n: NodeHandle) => Promise<string>,
    which: (nodeId: string) => boolean = () => true,
  ): Promise<Record<string, string>> {
    const handles = nodesOf(action)
      .filter(which)
      .flatMap((nodeId) => (byId.has(nodeId) ? [byId.get(nodeId)!] : []));
    const results = await Promise.all(
      handles.map(async (n) => {
        try {
          return [n.name, await fn(n)] as const;
        } catch (err) {
          return [n.name, (err as Error).message] as const;
        }
      }),
    );
    return Object.fromEntries(results);
  }

  /**
   * End the active faults of one family (`same`) that touch a node `action` targets: the new
   * fault replaces them there. They are recorded as reverted and undone on their other nodes;
   * the caller's action sets the shared ones.
   */
  private async endFaultsOn(action: NodeTargetedAction, nodes: NodeHandle[], same: (a: ChaosAction) => boolean): Promise<void> {
    const targets = new Set(nodesOf(action));
    for (const [faultId, a] of this.active) {
      if (!same(a.action) || !isNodeTargeted(a.action)) continue;
      if (nodesOf(a.action).some((n) => targets.has(n))) await this.revert(faultId, nodes, { undo: true, except: targets });
    }
  }

  /** Start the strobe of action `faultId` on `n`; answers the first flip's result. */
  private startStrobe(faultId: number, n: NodeHandle, action: Extract<ChaosAction, { kind: 'clock-strobe' }>): Promise<string> {
    const strobe = new ClockStrobe(
      action,
      (offsetMs) => adminCall(n, 'adminClock', { body: { offsetMs } }),
      (result) => this.deps.logger.warn({ action: faultId, node: n.name, result }, 'clock strobe flip failed'),
    );
    this.strobes.set(faultId, [...(this.strobes.get(faultId) ?? []), strobe]);
    return strobe.start();
  }

  private async nodeHandles(): Promise<NodeHandle[]> {
    const local = new Map((this.deps.fleet.testnet?.nodes() ?? []).map((n) => [n.url, n]));
    return this.deps.indexer
      .subscribers()
      .filter((s) => s.nodeId !== null)
      .map((s) => {
        const l = local.get(s.url);
        return {
          id: s.nodeId!,
          name: s.record?.name ?? s.url,
          url: s.url,
          adminToken: l?.adminToken ?? this.deps.attachedAdminToken,
          localIndex: l ? l.index : null,
        };
      });
  }
}

export function toRecord(row: {
  id: number;
  at: Date;
  actor: string;
  kind: string;
  params: unknown;
  targets: unknown;
  status: string;
  result: unknown;
  expiresAt: Date | null;
  revertedAt: Date | null;
}): ChaosRecord {
  return {
    id: row.id,
    at: row.at.getTime(),
    actor: row.actor,
    kind: row.kind as ChaosRecord['kind'],
    params: (row.params ?? {}) as Record<string, unknown>,
    targets: Array.isArray(row.targets) ? (row.targets as string[]) : [],
    status: row.status as ChaosRecord['status'],
    result: (row.result ?? null) as Record<string, string> | null,
    expiresAt: row.expiresAt?.getTime() ?? null,
    revertedAt: row.revertedAt?.getTime() ?? null,
  };
}
