// The file that hands funded test accounts to a node's load generator:
// {"accounts": [{"secretKey": hex}], "recipients": [publicKey hex]}. Testnet-only secrets.
import fs from 'node:fs';
import { z } from 'zod';
import type { Genesis } from '../chain/genesis.ts';
import { keyPairFromSeed, type KeyPair } from '../chain/keys.ts';

const AccountsFileSchema = z.object({
  accounts: z.array(z.object({ secretKey: z.string().regex(/^[0-9a-f]{64}$/) })),
  recipients: z.array(z.string().regex(/^[0-9a-f]{64}$/)).default([]),
});

export function loadAccountsFile(file: string): { senders: KeyPair[]; recipients: string[] } {
  const parsed = AccountsFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const senders = parsed.accounts.map((a) => keyPairFromSeed(a.secretKey));
  const recipients = parsed.recipients.length > 0 ? parsed.recipients : senders.map((s) => s.publicKey);
  return { senders, recipients };
}

export function writeAccountsFile(file: string, senders: KeyPair[], recipients: string[]): void {
  fs.writeFileSync(file, accountsFileContent(senders, recipients), { mode: 0o600 });
}

/** An accounts file's text; also what deploy/k8s puts into a Kubernetes Secret. */
export function accountsFileContent(senders: KeyPair[], recipients: string[]): string {
  return JSON.stringify({ accounts: senders.map((s) => ({ secretKey: s.secretKey, publicKey: s.publicKey })), recipients }, null, 2) + '\n';
}

/** Who the load generator signs as: the accounts file, else the node's own key if genesis funded it. */
export function loadSenders(accountsFile: string | null, genesis: Genesis, nodeKey: KeyPair): { senders: KeyPair[]; recipients: string[] } {
  if (accountsFile) return loadAccountsFile(accountsFile);
  if (genesis.allocations.some((a) => a.address === nodeKey.publicKey)) {
    return { senders: [nodeKey], recipients: genesis.allocations.map((a) => a.address) };
  }
  return { senders: [], recipients: [] };
}
