// A local testnet of node processes on one machine, used by `npm run testnet` and by the
// control plane's orchestrator: creates (or reuses) genesis, keys and data dirs, spawns one
// node daemon child per node (compiled JavaScript: node-program.ts), waits until each answers
// /health, and kills, restarts or adds nodes on demand. Children exit by themselves if this
// process dies. At start every node listens before any dials (--hold-dials), so a clean start
// logs no refused connection.
import { NodeApiClient, NodeRequestError } from '../../lib/http/node-client.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pino from 'pino';
import { z } from 'zod';
import { loadOrCreateAdminToken } from '../admin-token.ts';
import { loadGenesisFile } from '../chain/genesis.ts';
import { generateKeyPair, writeKeyFile, type KeyPair } from '../chain/keys.ts';
import { writeAccountsFile } from '../load/accounts-file.ts';
import { createLogger } from '../logger.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { nodeProgram, type NodeRuntime } from '../runtime/node-program.ts';
import { RELEASE_DIALS } from './release-dials.ts';
import { accountKey, createTestnetGenesis, DEFAULT_FUNDED_ACCOUNTS, loadAccountsFor, validatorKey, type TestnetConsensus } from './testnet-genesis.ts';

/**
 * Most nodes one local testnet runs, added nodes included: every node is a process on this
 * machine (tens of MB and a share of two cores each), so `add-node` stops here.
 */
export const MAX_LOCAL_NODES = 64;

/** Up to this many nodes a local testnet is a full mesh (each node dials every other). */
export const FULL_MESH_MAX_NODES = 32;
/**
 * Beyond FULL_MESH_MAX_NODES each node dials this many peers (chosen per node: pickOutboundPeers)
 * and accepts the rest of its links inbound: a random graph of degree ~2× this, as real networks
 * are, so the cost per node (links, status and block copies) stays flat as the testnet grows,
 * instead of a mesh's n−1 links each.
 */
export const LARGE_TESTNET_OUTBOUND = 12;

/** How many peers each node of an `nodes`-node local testnet dials. */
export function outboundPeersFor(nodes: number): number {
  return nodes > FULL_MESH_MAX_NODES ? LARGE_TESTNET_OUTBOUND : nodes - 1;
}

/** A node would take the testnet over its node limit. */
export class TestnetLimitError extends CodedError<'TESTNET_NODE_LIMIT'> {}

export interface LocalTestnetOptions {
  nodes: number;
  /** Most nodes this testnet may hold, added ones included (default and ceiling MAX_LOCAL_NODES). */
  maxNodes?: number;
  basePort: number;
  blockTimeMs: number;
  dataDir: string;
  host?: string;
  txRate?: number;
  pingIntervalMs?: number;
  logLevel?: string;
  /** Node stdout/stderr into <dataDir>/node-i/node.log; default true. */
  logToFiles?: boolean;
  /** Extra CLI arguments for every node (tests use it for tighter timeouts). */
  extraArgs?: string[];
  seed?: string;
  /** Consensus engine of a new testnet (default PoA); an existing testnet keeps its genesis'. */
  consensus?: TestnetConsensus;
  /** How long each node may take to answer /health after spawning (default 30 s); many nodes on a busy machine start slower. */
  healthTimeoutMs?: number;
  /** How node processes run (default: env TESTNET_NODE_RUNTIME, else compiled JavaScript); see node-program.ts. */
  runtime?: NodeRuntime;
}

export interface LocalNodeInfo {
  index: number;
  name: string;
  url: string;
  port: number;
  pid: number | null;
  dataDir: string;
  adminToken: string;
  running: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(here, '../..');
/** How long a starting node may take to answer /health: more nodes start on the same cores (NODES=16 on a loaded 2-core machine missed a flat 30 s). */
const healthDeadlineMs = (nodes: number) => 30_000 + 1_000 * nodes;
const KILL_AFTER_MS = 5000;

const ManifestSchema = z.object({
  seed: z.string(),
  basePort: z.number().int(),
  nodes: z.array(z.object({ index: z.number().int().positive(), port: z.number().int(), validator: z.boolean() })),
});
type Manifest = z.infer<typeof ManifestSchema>;

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  stopping: boolean;
}

export class LocalTestnet {
  private readonly opts: Required<Omit<LocalTestnetOptions, 'extraArgs' | 'runtime'>> & { extraArgs: string[]; runtime: NodeRuntime | undefined };
  private readonly log: pino.Logger;
  private manifest: Manifest | null = null;
  private readonly running = new Map<number, Running>();
  private stopPromise: Promise<void> | null = null;
  private readonly killAllOnExit = () => {
    for (const r of this.running.values()) r.child.kill('SIGKILL');
  };

  constructor(opts: LocalTestnetOptions, deps: { logger?: pino.Logger } = {}) {
    this.opts = {
      host: '127.0.0.1',
      txRate: 1,
      pingIntervalMs: 5000,
      logLevel: 'info',
      logToFiles: true,
      extraArgs: [],
      seed: 'local-testnet',
      consensus: 'poa',
      healthTimeoutMs: healthDeadlineMs(opts.nodes),
      runtime: undefined,
      ...opts,
      maxNodes: Math.min(opts.maxNodes ?? MAX_LOCAL_NODES, MAX_LOCAL_NODES),
      dataDir: path.resolve(opts.dataDir),
    };
    this.log = (deps.logger ?? createLogger({ name: 'testnet' })).child({ module: 'local-testnet' });
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** Most nodes this testnet holds; addNode refuses beyond it. */
  get maxNodes(): number {
    return this.opts.maxNodes;
  }

  async start(): Promise<void> {
    if (this.stopPromise) throw new Error('testnet was stopped; create a new LocalTestnet');
    if (this.manifest) return; // already started
    this.prepare();
    process.on('exit', this.killAllOnExit);
    try {
      // Every node listens before any dials: each holds its dials until all answer /health,
      // then all are told to dial (a peer dialed before it listened is a refused connection).
      for (const n of this.manifest!.nodes) this.spawnNode(n.index, { holdDials: true });
      await Promise.all(this.manifest!.nodes.map((n) => this.waitHealthy(n.index)));
      for (const r of this.running.values()) r.child.stdin?.write(`${RELEASE_DIALS}\n`);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.log.info({ nodes: this.nodes().map((n) => n.url), dataDir: this.opts.dataDir }, 'local testnet up');
  }

  stop(): Promise<void> {
    this.stopPromise ??= (async () => {
      await Promise.all([...this.running.keys()].map((i) => this.stopNode(i, 'SIGTERM')));
      process.off('exit', this.killAllOnExit);
    })();
    return this.stopPromise;
  }

  nodes(): LocalNodeInfo[] {
    if (!this.manifest) return [];
    return this.manifest.nodes.map((n) => {
      const r = this.running.get(n.index);
      const dir = this.nodeDir(n.index);
      return {
        index: n.index,
        name: `node-${n.index}`,
        url: `http://${this.opts.host}:${n.port}`,
        port: n.port,
        pid: r?.child.pid ?? null,
        dataDir: dir,
        adminToken: loadOrCreateAdminToken(dir),
        running: r !== undefined,
      };
    });
  }

  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.entry(index);
    const r = this.running.get(index);
    if (!r) return;
    r.stopping = true;
    r.child.kill(signal);
    await r.exited;
  }

  async restart(index: number): Promise<void> {
    this.entry(index);
    if (this.running.has(index)) await this.stopNode(index, 'SIGTERM');
    this.spawnNode(index);
    await this.waitHealthy(index);
  }

  async addNode(): Promise<LocalNodeInfo> {
    if (!this.manifest) throw new Error('start the testnet first');
    // Checked before any await: two concurrent calls cannot both pass it.
    if (this.manifest.nodes.length >= this.opts.maxNodes) {
      throw new TestnetLimitError('TESTNET_NODE_LIMIT', `the local testnet holds at most ${this.opts.maxNodes} nodes and has ${this.manifest.nodes.length}`);
    }
    const index = Math.max(...this.manifest.nodes.map((n) => n.index)) + 1;
    const port = this.opts.basePort + index - 1;
    const dir = this.nodeDir(index);
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'key.json'))) writeKeyFile(path.join(dir, 'key.json'), generateKeyPair());
    this.writeNodeFiles(index);
    this.manifest.nodes.push({ index, port, validator: false });
    this.saveManifest();
    this.spawnNode(index);
    await this.waitHealthy(index);
    return this.nodes().find((n) => n.index === index)!;
  }

  // ---- internals -----------------------------------------------------------------------

  private get genesisFile(): string {
    return path.join(this.opts.dataDir, 'genesis.json');
  }

  private get manifestFile(): string {
    return path.join(this.opts.dataDir, 'testnet.json');
  }

  private nodeDir(index: number): string {
    return path.join(this.opts.dataDir, `node-${index}`);
  }

  private entry(index: number) {
    const e = this.manifest?.nodes.find((n) => n.index === index);
    if (!e) throw new Error(`no node ${index} in this testnet`);
    return e;
  }

  /** Creates genesis, keys and node dirs, or reuses what a previous run left. */
  private prepare(): void {
    fs.mkdirSync(this.opts.dataDir, { recursive: true });
    if (fs.existsSync(this.manifestFile) && fs.existsSync(this.genesisFile)) {
      this.manifest = ManifestSchema.parse(JSON.parse(fs.readFileSync(this.manifestFile, 'utf8')));
      const g = loadGenesisFile(this.genesisFile);
      if (g.blockTimeMs !== this.opts.blockTimeMs || g.validators.length !== this.opts.nodes || g.consensus.engine !== this.opts.consensus) {
        this.log.warn(
          { dataDir: this.opts.dataDir, blockTimeMs: g.blockTimeMs, validators: g.validators.length, consensus: g.consensus.engine },
          'resuming an existing testnet: its genesis decides block time, validators and consensus, not the options given now',
        );
      }
      this.log.info({ dataDir: this.opts.dataDir, nodes: this.manifest.nodes.length }, 'resuming local testnet');
    } else {
      const seed = this.opts.seed;
      const { genesis } = createTestnetGenesis({ validators: this.opts.nodes, blockTimeMs: this.opts.blockTimeMs, seed, consensus: this.opts.consensus });
      fs.writeFileSync(this.genesisFile, JSON.stringify(genesis, null, 2) + '\n');
      this.manifest = {
        seed,
        basePort: this.opts.basePort,
        nodes: Array.from({ length: this.opts.nodes }, (_, i) => ({ index: i + 1, port: this.opts.basePort + i, validator: true })),
      };
      for (const n of this.manifest.nodes) {
        fs.mkdirSync(this.nodeDir(n.index), { recursive: true });
        writeKeyFile(path.join(this.nodeDir(n.index), 'key.json'), validatorKey(seed, n.index - 1));
      }
      this.saveManifest();
      this.log.info({ dataDir: this.opts.dataDir, nodes: this.opts.nodes, chainId: genesis.chainId }, 'created local testnet');
    }
    for (const n of this.manifest.nodes) this.writeNodeFiles(n.index);
  }

  private writeNodeFiles(index: number): void {
    const dir = this.nodeDir(index);
    fs.mkdirSync(dir, { recursive: true });
    loadOrCreateAdminToken(dir);
    const seed = this.manifest?.seed ?? this.opts.seed;
    const accounts: KeyPair[] = Array.from({ length: DEFAULT_FUNDED_ACCOUNTS }, (_, i) => accountKey(seed, i));
    writeAccountsFile(
      path.join(dir, 'accounts.json'),
      loadAccountsFor(index - 1, accounts),
      accounts.map((a) => a.publicKey),
    );
  }

  private saveManifest(): void {
    fs.writeFileSync(this.manifestFile, JSON.stringify(this.manifest, null, 2) + '\n');
  }

  private spawnNode(index: number, opts: { holdDials?: boolean } = {}): void {
    const e = this.entry(index);
    const dir = this.nodeDir(index);
    loadOrCreateAdminToken(dir); // the node reads it from there: a token on the command line would show in ps
    const peers = this.manifest!.nodes.filter((n) => n.index !== index).map((n) => `ws://${this.opts.host}:${n.port}/p2p`);
    const program = nodeProgram(this.opts.runtime);
    const args = [
      ...program,
      '--data-dir',
      dir,
      '--port',
      String(e.port),
      '--host',
      this.opts.host,
      '--name',
      `node-${index}`,
      '--genesis',
      this.genesisFile,
      '--key',
      path.join(dir, 'key.json'),
      '--tx-rate',
      String(this.opts.txRate),
      '--accounts',
      path.join(dir, 'accounts.json'),
      '--ping-interval',
      String(this.opts.pingIntervalMs),
      '--log-level',
      this.opts.logLevel,
      '--parent-pid',
      String(process.pid),
      ...(peers.length > 0 ? ['--peers', peers.join(',')] : []),
      ...(opts.holdDials && peers.length > 0 ? ['--hold-dials'] : []),
      ...(this.manifest!.nodes.length > FULL_MESH_MAX_NODES ? ['--max-outbound', String(LARGE_TESTNET_OUTBOUND)] : []),
      ...this.opts.extraArgs,
    ];
    let out: number | 'inherit' = 'inherit';
    if (this.opts.logToFiles) out = fs.openSync(path.join(dir, 'node.log'), 'a');
    const env = { ...process.env };
    delete env.NODE_ADMIN_TOKEN;
    delete env.NODE_OPTIONS; // a test runner's --test flags must not leak into the node
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['pipe', out, out] });
    if (typeof out === 'number') fs.closeSync(out);
    child.stdin?.on('error', () => {}); // the node may exit first; EPIPE here is expected
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        const r = this.running.get(index);
        if (r?.child === child) this.running.delete(index);
        if (r && !r.stopping && !this.stopPromise) {
          this.log.error({ node: `node-${index}`, code, signal, log: path.join(dir, 'node.log') }, 'node process exited unexpectedly');
        } else {
          this.log.info({ node: `node-${index}`, code, signal }, 'node process exited');
        }
        resolve();
      });
      child.once('error', (err) => {
        this.log.error({ node: `node-${index}`, err: err.message }, 'could not spawn node process');
        if (this.running.get(index)?.child === child) this.running.delete(index);
        resolve();
      });
    });
    this.running.set(index, { child, exited, stopping: false });
    this.log.info({ node: `node-${index}`, pid: child.pid, port: e.port }, 'node process spawned');
  }

  private async stopNode(index: number, signal: NodeJS.Signals): Promise<void> {
    const r = this.running.get(index);
    if (!r) return;
    r.stopping = true;
    r.child.kill(signal);
    const timer = setTimeout(() => r.child.kill('SIGKILL'), KILL_AFTER_MS);
    await r.exited;
    clearTimeout(timer);
  }

  private async waitHealthy(index: number): Promise<void> {
    const e = this.entry(index);
    const url = `http://${this.opts.host}:${e.port}/health`;
    const deadline = Date.now() + this.opts.healthTimeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running.has(index)) throw new Error(`node-${index} exited during startup; see ${path.join(this.nodeDir(index), 'node.log')}\n${this.tail(index)}`);
      try {
        // Generous: a node that is starting among many on a busy machine answers slowly.
        const res = await new NodeApiClient(`http://${this.opts.host}:${e.port}`, { timeoutMs: 5000 }).request('health', {});
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = err instanceof NodeRequestError ? err.reason : (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`node-${index} did not answer ${url} within ${this.opts.healthTimeoutMs} ms (${last}); see ${path.join(this.nodeDir(index), 'node.log')}`);
  }

  private tail(index: number): string {
    try {
      const text = fs.readFileSync(path.join(this.nodeDir(index), 'node.log'), 'utf8');
      return text.split('\n').slice(-15).join('\n');
    } catch {
      return '';
    }
  }
}
