// Pure wording of the account page: the sentence over the per-node balances (do the nodes
// agree, and if not, who holds what), and how a transaction row reads from the account's side.
import type { Account, AccountNodeView, AccountTx } from '../../../wire/explorer-api.ts';

const list = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export interface BalanceVerdict {
  tone: 'ok' | 'warn' | 'neutral';
  text: string;
}

/** One line over the per-node table: agreement, the disagreeing nodes, and the silent ones. */
export function balanceVerdict(a: Account): BalanceVerdict {
  const reported = a.nodes.filter((n) => n.status === 'reported');
  const silent = a.nodes.filter((n) => n.status !== 'reported').map((n) => n.name);
  const silentText = silent.length ? ` ${list(silent)} did not report.` : '';
  if (reported.length === 0) return { tone: 'neutral', text: a.nodes.length === 0 ? 'No node is followed: no balance to show.' : `No node reported this account.${silentText}` };
  if (a.agreement === 'agree') {
    const r = reported[0];
    const heights = new Set(reported.map((n) => n.head?.height));
    const at = heights.size === 1 ? ` at height ${r.head?.height}` : ' (at their own heads)';
    const who =
      reported.length === 1
        ? `${r.name} reports`
        : reported.length === a.nodes.length
          ? `All ${reported.length} nodes agree${at}:`
          : `${list(reported.map((n) => n.name))} agree${at}:`;
    return { tone: silent.length ? 'warn' : 'ok', text: `${who} balance ${groupDigits(r.balance ?? 0)}, nonce ${r.nonce}.${silentText}` };
  }
  const differing = reported.filter((n) => n.differs);
  const agreeing = reported.filter((n) => !n.differs);
  const names = (ns: AccountNodeView[]) => list(ns.map((n) => n.name));
  if (agreeing.length === 0) {
    // A tie (a 2|2 partition): say who holds what, reading by reading.
    const groups = readingGroups(a);
    const parts = [...new Set(groups.values())].map((letter) => {
      const members = reported.filter((n) => groups.get(n.nodeId) === letter);
      const m = members[0];
      return `${names(members)} ${members.length === 1 ? 'reads' : 'read'} balance ${groupDigits(m.balance ?? 0)}, nonce ${m.nonce} (${letter})`;
    });
    return { tone: 'warn', text: `The nodes disagree, ${plural(parts.length, 'reading')} and none held by most: ${parts.join('; ')}. Their chains differ (a fork).${silentText}` };
  }
  const r = agreeing[0];
  const main = `${names(agreeing)} ${agreeing.length === 1 ? 'reads' : 'agree on'} balance ${groupDigits(r.balance ?? 0)}, nonce ${r.nonce}`;
  if (differing.every((n) => rowDifference(a, n) === 'behind')) {
    // A node a block or two behind reads an older state: not a fork, and it passes by itself.
    return {
      tone: 'neutral',
      text: `${main}; ${names(differing)} ${differing.length === 1 ? 'is' : 'are'} at an earlier head and ${differing.length === 1 ? 'reads' : 'read'} the state there.${silentText}`,
    };
  }
  return {
    tone: 'warn',
    text: `The nodes disagree: ${main}, but ${names(differing)} ${differing.length === 1 ? 'holds' : 'hold'} a different balance or nonce. Their chains differ (a fork, or a node behind).${silentText}`,
  };
}

/**
 * When the reporting nodes disagree, a letter per distinct (balance, nonce), A for the reading
 * most nodes hold (ties: the first node's by name), so the table shows who sides with whom.
 * Empty when they agree.
 */
export function readingGroups(a: Account): Map<string, string> {
  const reported = a.nodes.filter((n) => n.status === 'reported');
  const key = (n: AccountNodeView) => `${n.balance}/${n.nonce}`;
  const sizes = new Map<string, number>();
  for (const n of reported) sizes.set(key(n), (sizes.get(key(n)) ?? 0) + 1);
  if (sizes.size < 2) return new Map();
  const order = [...sizes.keys()].sort((x, y) => sizes.get(y)! - sizes.get(x)!); // stable: first seen wins a tie
  return new Map(reported.map((n) => [n.nodeId, String.fromCharCode(65 + order.indexOf(key(n)))]));
}

/**
 * Why a node's reading differs: 'behind' when its head is below every agreeing node's (it has
 * not caught up yet), 'fork' otherwise (same height or above, yet another state: another branch).
 */
export function rowDifference(a: Account, n: AccountNodeView): 'behind' | 'fork' | null {
  if (!n.differs || !n.head) return null;
  const agreeingHeights = a.nodes.filter((m) => m.status === 'reported' && !m.differs && m.head).map((m) => m.head!.height);
  return agreeingHeights.length > 0 && n.head.height < Math.min(...agreeingHeights) ? 'behind' : 'fork';
}

/** Digits in groups of three (balances run to 13 digits): `999,999,997,411`. Amounts arrive as decimal strings. */
export function groupDigits(n: number | string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The amount as the account sees it: minus when it left, plus when it arrived, none for a transfer to itself. */
export function signedAmount(t: AccountTx): string {
  const amount = groupDigits(t.amount);
  return t.direction === 'out' ? `−${amount}` : t.direction === 'in' ? `+${amount}` : amount;
}

/** The other side of the transfer (itself for a self-transfer). */
export function counterparty(t: AccountTx): string {
  return t.direction === 'in' ? t.from : t.to;
}
