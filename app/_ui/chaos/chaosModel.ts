// Pure helpers of the chaos page: merging live pushes into the cached history, validating a
// form's body against the shared contract, and saying what an action did in words.
import type { z } from 'zod';
import {
  ChaosActionSchema,
  isOkResult,
  selectorCount,
  TargetSelectorSchema,
  type ChaosAction,
  type ChaosKind,
  type ChaosRecord,
  type ChaosResponse,
  type LinkTarget,
  type TargetSelector,
} from '../../../wire/chaos-api.ts';

/** Node id → name. */
export type Names = ReadonlyMap<string, string>;

/** How many records the page keeps (GET /api/chaos answers the newest 100). */
export const HISTORY_LIMIT = 100;

export function nameOf(names: Names, id: string): string {
  return names.get(id) ?? (id.length > 10 ? `${id.slice(0, 8)}…` : id);
}

/** Kinds that change the network in a way the user must confirm first. */
export const DESTRUCTIVE: ReadonlySet<ChaosKind> = new Set(['partition', 'kill', 'restart', 'pause', 'clock-skew', 'heal']);

/** Insert or replace records by id, newest first. A reverted record is never replaced by an older, unreverted copy. */
export function upsertRecords(history: readonly ChaosRecord[], records: readonly ChaosRecord[]): ChaosRecord[] {
  const byId = new Map(history.map((r) => [r.id, r]));
  for (const r of records) {
    const old = byId.get(r.id);
    if (old && old.revertedAt !== null && r.revertedAt === null) continue;
    byId.set(r.id, r);
  }
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, HISTORY_LIMIT);
}

/** A 'chaos:update' push written into the cached GET /api/chaos answer (the server's list of active faults wins). */
export function applyLiveUpdate(old: ChaosResponse | undefined, update: { active: ChaosRecord[]; changed: ChaosRecord[] }): ChaosResponse | undefined {
  if (!old) return old;
  return { active: update.active, history: upsertRecords(old.history, update.changed) };
}

/** The answer to our own POST written into the cache (the live push that follows brings the active list). */
export function withRecord(old: ChaosResponse | undefined, record: ChaosRecord): ChaosResponse | undefined {
  if (!old) return old;
  return { active: old.active.map((r) => (r.id === record.id ? record : r)), history: upsertRecords(old.history, [record]) };
}

export type FieldErrors = Record<string, string>;

/** zod issues keyed by field path ('delayMs', 'target', 'groups'); '' for the whole body. First message per field. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (out[key]) continue;
    out[key] = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'required' : issue.message;
  }
  return out;
}

export type Parsed = { ok: true; action: ChaosAction } | { ok: false; errors: FieldErrors };

/** Validate a body with the same schema the server uses, before anything is sent. */
export function parseAction(raw: unknown): Parsed {
  const parsed = ChaosActionSchema.safeParse(raw);
  return parsed.success ? { ok: true, action: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

/** A form's number field: '' is "not given", anything else a number (NaN fails validation). */
export function numberOrUndefined(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/** Error messages for one field, found under its own path or any path below it. */
export function errorFor(errors: FieldErrors, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  return key ? errors[key] : undefined;
}

export const GROUP_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface PartitionDraft {
  /** Node id → group index, or null: in no group (keeps every link). */
  assignment: Record<string, number | null>;
  groupCount: number;
  oneWay: boolean;
  duration: string;
}

/** The POST body a partition draft stands for (empty groups are left out) and the letters of the groups kept. */
export function partitionBody(draft: PartitionDraft, nodeOrder: readonly string[]): { body: Record<string, unknown>; letters: string[] } {
  const groups: string[][] = [];
  const letters: string[] = [];
  for (let g = 0; g < draft.groupCount; g++) {
    const members = nodeOrder.filter((id) => draft.assignment[id] === g);
    if (members.length === 0) continue;
    groups.push(members);
    letters.push(GROUP_LETTERS[g] ?? String(g + 1));
  }
  const durationSec = numberOrUndefined(draft.duration);
  return { body: { kind: 'partition', groups, oneWay: draft.oneWay, ...(durationSec !== undefined ? { durationSec } : {}) }, letters };
}

export function describeTarget(target: Partial<LinkTarget> | undefined, names: Names): string {
  if (!target || (!target.node && !target.from && !target.to)) return 'all links';
  if (target.node) return `every link of ${nameOf(names, target.node)}`;
  if (target.from && target.to) return `${nameOf(names, target.from)} → ${nameOf(names, target.to)}`;
  if (target.from) return `links from ${nameOf(names, target.from)}`;
  return `links to ${nameOf(names, target.to!)}`;
}

function bytesPerSec(n: number): string {
  if (n < 1000) return `${n} B/s`;
  if (n < 1_000_000) return `${+(n / 1000).toFixed(1)} kB/s`;
  return `${+(n / 1_000_000).toFixed(1)} MB/s`;
}

function signedMs(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toLocaleString('en-US')} ms`;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** ", correlated 50%" when a link fault's decisions are correlated; ", seed 7" when it is seeded. */
function correlated(params: Record<string, unknown>): string {
  const seed = typeof params.seed === 'number' ? `, seed ${params.seed}` : '';
  return (num(params.correlation) ? `, correlated ${num(params.correlation)}%` : '') + seed;
}

const SELECTOR_WORDS: Record<Exclude<TargetSelector['pick'], 'ids' | 'random-k'>, string> = {
  one: 'one node',
  minority: 'a minority',
  'minority-third': 'fewer than a third',
  majority: 'a majority',
  all: 'every node',
};

/** A selector in words: "a minority", "2 random nodes", "node-1, node-3". */
export function selectorWords(select: TargetSelector, names: Names): string {
  if (select.pick === 'ids') return select.ids.map((id) => nameOf(names, id)).join(', ');
  if (select.pick === 'random-k') return `${select.k} random node${select.k === 1 ? '' : 's'}`;
  return SELECTOR_WORDS[select.pick];
}

/**
 * The nodes a node-targeted action names, in words: its node, or its selector with the nodes
 * it picked and the seed once recorded ("a minority (node-3; seed 7)"), or, before it is sent,
 * how many of the nodes known now it will pick (`names` holds every known node).
 */
export function describeNodeTargets(params: Record<string, unknown>, names: Names): string {
  if (typeof params.node === 'string') return nameOf(names, params.node);
  const parsed = TargetSelectorSchema.safeParse(params.select);
  if (!parsed.success) return '?';
  const select = parsed.data;
  const words = selectorWords(select, names);
  if (select.pick === 'ids') return words;
  if (Array.isArray(params.resolvedTargets)) {
    const picked = params.resolvedTargets.map((id) => nameOf(names, String(id))).join(', ');
    return `${words} (${picked}${typeof params.seed === 'number' ? `; seed ${params.seed}` : ''})`;
  }
  const n = names.size;
  if (select.pick === 'all') return `${words} (${n})`;
  const seed = typeof params.seed === 'number' ? `seed ${params.seed}` : 'a fresh seed';
  return `${words} (${selectorCount(select, n)} of ${n}, at random from ${seed})`;
}

/** The nodes an action names, in short: the node's name or the selector's words ("a minority"), for a title. */
export function shortNodeTargets(params: Record<string, unknown>, names: Names): string {
  if (typeof params.node === 'string') return nameOf(names, params.node);
  const parsed = TargetSelectorSchema.safeParse(params.select);
  return parsed.success ? selectorWords(parsed.data, names) : '?';
}

/** Words that open a sentence start with a capital. */
export function asSentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "node-2's clock", or "the clocks of a minority (…)" for a selection. */
function clockOf(params: Record<string, unknown>, names: Names): string {
  const who = describeNodeTargets(params, names);
  return typeof params.node === 'string' ? `${who}'s clock` : `the clocks of ${who}`;
}

/** What an action does, in words, from its kind and recorded params. */

export function describeAction(kind: ChaosKind, params: Record<string, unknown>, names: Names): string {
  const node = describeNodeTargets(params, names);
  const target = describeTarget(params.target as Partial<LinkTarget> | undefined, names);
  const dur = typeof params.durationSec === 'number' ? ` for ${params.durationSec} s` : '';
  switch (kind) {
    case 'partition': {
      const groups = Array.isArray(params.groups) ? (params.groups as string[][]) : [];
      const text = groups.map((g) => g.map((id) => nameOf(names, id)).join(', ')).join(' | ');
      return `split into ${groups.length} groups: ${text}${params.oneWay ? ' (one-way: the first group hears nothing from the others)' : ''}${dur}`;
    }
    case 'heal':
      return typeof params.actionId === 'number' ? `revert #${params.actionId}` : 'heal everything: clear all link rules, resume all nodes, reset clocks';
    case 'latency':
      return `${num(params.delayMs)} ms delay${num(params.jitterMs) ? ` ± ${num(params.jitterMs)} ms jitter` : ''} on ${target}${correlated(params)}${dur}`;
    case 'loss':
      return `drop ${num(params.pct)}% of messages on ${target}${correlated(params)}${dur}`;
    case 'duplicate':
      return `duplicate ${num(params.pct)}% of messages on ${target}${correlated(params)}${dur}`;
    case 'bandwidth':
      return `cap ${target} at ${bytesPerSec(num(params.bytesPerSec))}${num(params.burst) ? ` (bursts of ${num(params.burst).toLocaleString('en-US')} B pass at once)` : ''}${dur}`;
    case 'pause':
      return `pause ${node}: no producing, no processing${dur}`;
    case 'resume':
      return `resume ${node}`;
    case 'clock-skew':
      return `shift ${clockOf(params, names)} by ${signedMs(num(params.offsetMs))}${dur}`;
    case 'kill':
      return `kill ${node} (SIGKILL)`;
    case 'restart':
      return `restart ${node}`;
    case 'add-node':
      return 'start one more node';
    case 'equivocate':
      return `make ${node} equivocate: a different block to each peer as proposer, conflicting votes as voter${dur}`;
    case 'withhold-votes':
      return `make ${node} withhold its votes (it still proposes)${dur}`;
    case 'delay-proposals':
      return `make ${node} hold each proposal back ${num(params.delayMs)} ms${dur}`;
    case 'reorder':
      return `reorder ${num(params.pct)}% of messages on ${target} (each held behind the next ${num(params.gap)})${correlated(params)}${dur}`;
    case 'corrupt':
      return `flip a byte in ${num(params.pct)}% of frames on ${target}${correlated(params)}${dur}`;
    case 'partition-shape': {
      const resolved = params.resolved as { groups?: string[][]; bridge?: string | null } | undefined;
      const groups = resolved?.groups?.map((g) => g.map((id) => nameOf(names, id)).join(', ')).join(' | ');
      const seed = typeof params.seed === 'number' ? ` (seed ${params.seed})` : resolved ? '' : ' (at random from a fresh seed)';
      if (params.shape === 'majorities-ring') return `majorities ring: every node reaches a majority, no two the same${seed}${dur}`;
      if (params.shape === 'bridge') {
        if (!groups || !resolved?.bridge) return `bridge: two halves cut apart, one node still sees both${seed}${dur}`;
        return `bridge: ${groups}, ${nameOf(names, resolved.bridge)} sees both${seed}${dur}`;
      }
      if (params.shape === 'isolate') {
        const cut = resolved?.groups?.[0]?.map((id) => nameOf(names, id)).join(', ');
        const select = TargetSelectorSchema.safeParse(params.select);
        const which = select.success && select.data.pick !== 'ids' ? selectorWords(select.data, names) : null;
        if (cut) return `isolate ${which ? `${which}: ` : ''}${cut}${seed}${dur}`;
        return `isolate ${which ?? (select.success ? selectorWords(select.data, names) : 'one node')} from the rest${seed}${dur}`;
      }
      return `random halves: ${groups ?? 'the nodes cut into two halves'}${seed}${dur}`;
    }
    case 'clock-strobe':
      return `strobe ${clockOf(params, names)} ${params.symmetric ? '±' : '+'}${num(params.deltaMs)} ms every ${num(params.periodMs)} ms${dur}`;
    case 'clock-bump':
      return `bump ${clockOf(params, names)} by ${signedMs(num(params.deltaMs))} once`;
    case 'storage-truncate':
      return `cut ${num(params.bytes).toLocaleString('en-US')} bytes off the end of stopped ${node}'s block log`;
    case 'storage-bitflip': {
      const seed = typeof params.seed === 'number' ? ` (seed ${params.seed})` : '';
      const where = params.where === 'header' ? 'the file header' : 'the records';
      return `flip ${num(params.flips)} bit(s) in ${where} of stopped ${node}'s block log${seed}`;
    }
    default:
      return JSON.stringify(params);
  }
}

export type ByzantineKind = Extract<ChaosKind, 'equivocate' | 'withhold-votes' | 'delay-proposals'>;

/** The byzantine behaviours the chaos page offers, in words. */
export const BYZANTINE_BEHAVIOURS: ReadonlyArray<{ kind: ByzantineKind; label: string; note: string; effect: string; button: string }> = [
  {
    kind: 'equivocate',
    label: 'Equivocate',
    note: 'As proposer it sends a different block to each peer; as voter it tells each peer it voted for whatever that peer voted. Honest nodes record the evidence.',
    effect: 'signs conflicting proposals and votes',
    button: 'Equivocate',
  },
  {
    kind: 'withhold-votes',
    label: 'Withhold votes',
    note: 'It still proposes but sends no prevote or precommit: commits go on with the other validators’ signatures only.',
    effect: 'sends no votes',
    button: 'Withhold votes',
  },
  {
    kind: 'delay-proposals',
    label: 'Delay proposals',
    note: 'Holds each of its proposals back; above the propose timeout the others move to the next round without it.',
    effect: 'holds its proposals back',
    button: 'Delay proposals',
  },
];

export const KIND_LABELS: Record<ChaosKind, string> = {
  partition: 'partition',
  heal: 'heal',
  latency: 'latency',
  loss: 'loss',
  duplicate: 'duplicate',
  bandwidth: 'bandwidth',
  reorder: 'reorder',
  corrupt: 'corrupt',
  pause: 'pause',
  resume: 'resume',
  'clock-skew': 'clock skew',
  'partition-shape': 'partition shape',
  'clock-strobe': 'clock strobe',
  'clock-bump': 'clock bump',
  kill: 'kill',
  restart: 'restart',
  'add-node': 'add node',
  equivocate: 'equivocate',
  'withhold-votes': 'withhold votes',
  'delay-proposals': 'delay proposals',
  'storage-truncate': 'storage truncate',
  'storage-bitflip': 'storage bitflip',
};

/** Per-node results split into successes and failures. */
export function resultParts(result: Record<string, string> | null): { ok: string[]; failed: Array<[string, string]> } {
  const ok: string[] = [];
  const failed: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(result ?? {})) {
    if (v === 'ok') ok.push(k);
    else if (isOkResult(v))
      ok.push(`${k} (${v.slice('ok: '.length)})`); // a success with its detail (storage faults)
    else failed.push([k, v]);
  }
  return { ok, failed };
}

export function actorLabel(actor: string): string {
  if (actor === 'browser-session') return 'browser';
  if (actor === 'api-token') return 'API token';
  return actor;
}

/** "42 s", "3 min 05 s" for a countdown. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
