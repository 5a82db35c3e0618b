// What `npm run k8s -- render` is asked for, validated once at the edge: the shape of the
// testnet (nodes, consensus), the server's replicas, where it goes (namespace, image, host).
import { z } from 'zod';
import { CodedError } from '../../lib/coded-error.ts';
import { TESTNET_CONSENSUS } from '../../node/testnet/testnet-genesis.ts';

/**
 * Half of what a local testnet may have (MAX_LOCAL_NODES, 64): it keeps the keys Secret (a key
 * and an accounts file per node) under the 256 KiB that `kubectl apply` can keep in its
 * last-applied annotation: at 64 nodes it would not be.
 */
export const MAX_K8S_NODES = 32;

export class K8sRenderError extends CodedError<'K8S_OPTIONS_INVALID' | 'K8S_MANIFEST_INVALID'> {}

/** An RFC 1123 DNS label: what Kubernetes accepts as a namespace or an object name part. */
const dnsLabel = z
  .string()
  .max(40, 'at most 40 characters (pod and Service names are built from it)')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lower-case letters, digits and "-", starting and ending with a letter or digit');

export const RenderOptionsSchema = z.object({
  nodes: z.number().int('must be a whole number').min(1, 'at least 1').max(MAX_K8S_NODES, `at most ${MAX_K8S_NODES}`),
  /**
   * Most node pods add-node may scale the StatefulSet to: the keys Secret holds a key for each
   * (the ones past --nodes are followers, not in genesis). Default: --nodes (no add-node).
   */
  maxNodes: z.number().int('must be a whole number').min(1, 'at least 1').max(MAX_K8S_NODES, `at most ${MAX_K8S_NODES}`).optional(),
  consensus: z.enum(TESTNET_CONSENSUS, { message: `one of ${TESTNET_CONSENSUS.join(', ')}` }),
  /** Server pods. More than one needs leader election (not built yet): see the README. */
  replicas: z.number().int('must be a whole number').min(1, 'at least 1').max(20, 'at most 20'),
  namespace: dnsLabel.default('default'),
  /** Prefix of every object's name, so two testnets can share a namespace. */
  name: dnsLabel.default('testnet'),
  image: z.string().min(1).default('testnet-explorer:latest'),
  blockTimeMs: z.number().int().min(200).max(60_000).default(1000),
  /** Load generator rate of each node, tx/s (as TX_RATE of `npm start`). */
  txRate: z.number().min(0).max(1000).default(2),
  /** Size of each node's chain-data volume. */
  storage: z
    .string()
    .regex(/^\d+(Ki|Mi|Gi|Ti)$/, 'a size such as 1Gi or 500Mi')
    .default('1Gi'),
  storageClass: z.string().min(1).optional(),
  /** The Ingress's host name; without it the rule matches every host. */
  host: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS name such as explorer.example.org')
    .optional(),
  /** A TLS Secret for the host (the server is then told its origin is https://host). */
  tlsSecret: z.string().min(1).optional(),
  ingressClass: z.string().min(1).default('nginx'),
  /** Seed of the validator and account keys; random unless given (a fixed seed gives public keys). */
  seed: z.string().min(1).optional(),
});
export type RenderOptions = z.output<typeof RenderOptionsSchema>;
export type RenderOptionsInput = z.input<typeof RenderOptionsSchema>;

export function parseRenderOptions(input: RenderOptionsInput): RenderOptions {
  const parsed = RenderOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`);
    throw new K8sRenderError('K8S_OPTIONS_INVALID', `invalid render options:\n${lines.join('\n')}`);
  }
  const o = parsed.data;
  if (o.maxNodes !== undefined && o.maxNodes < o.nodes)
    throw new K8sRenderError('K8S_OPTIONS_INVALID', 'invalid render options:\n  --max-nodes: at least --nodes (the pods it counts include those)');
  if (o.tlsSecret && !o.host) throw new K8sRenderError('K8S_OPTIONS_INVALID', 'invalid render options:\n  --tls-secret: needs --host (the name the certificate is for)');
  return o;
}

/** How many node pods have keys: the StatefulSet may be scaled up to this many. */
export function podLimit(o: Pick<RenderOptions, 'nodes' | 'maxNodes'>): number {
  return o.maxNodes ?? o.nodes;
}
