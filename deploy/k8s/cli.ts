// `npm run k8s -- render --nodes 16 --consensus bft --replicas 2 [--namespace N] [--out DIR|-]`:
// renders the Kubernetes manifests of a testnet (deploy/k8s/render.ts) into a directory, one
// YAML per object, or to stdout. Bad arguments exit with code 2 and say which and why.
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { manifestStream, writeManifestDir } from './manifest-output.ts';
import { renderTestnet } from './render.ts';
import { K8sRenderError, parseRenderOptions } from './render-options.ts';

const EXIT_USAGE = 2;

/** Numbers stay strings until zod checks them, so "4x" is refused rather than read as 4. */
const num = (v: string) => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN);

function program(): Command {
  const cmd = new Command('k8s').description('Kubernetes manifests for a testnet: node StatefulSet, server Deployment, Service, Ingress').exitOverride();
  cmd
    .command('render')
    .description('write the manifests (one YAML per object) into a directory, or to stdout with --out -')
    .option('--nodes <n>', 'validator nodes (one pod each)', num, 4)
    .option('--max-nodes <n>', 'most node pods add-node may scale to (keys are rendered for each; default: --nodes)', num)
    .option('--consensus <engine>', 'poa or bft', 'poa')
    .option('--replicas <n>', 'server pods (more than 1 needs leader election: see README)', num, 1)
    .option('--namespace <ns>', 'namespace of every object (created unless "default")', 'default')
    .option('--name <prefix>', 'prefix of every object name', 'testnet')
    .option('--image <ref>', 'the image built from the Dockerfile', 'testnet-explorer:latest')
    .option('--block-time <ms>', 'block time written into genesis', num, 1000)
    .option('--tx-rate <n>', "each node's load generator, tx/s", num, 2)
    .option('--storage <size>', "each node's chain-data volume", '1Gi')
    .option('--storage-class <name>', 'StorageClass of the chain-data volumes (default: the cluster default)')
    .option('--host <dns>', 'host name of the Ingress (default: any host)')
    .option('--tls-secret <name>', 'TLS Secret for --host (the Ingress then serves HTTPS)')
    .option('--ingress-class <name>', 'IngressClass', 'nginx')
    .option('--seed <seed>', 'derive the keys from this seed (default: random; a known seed means known keys)')
    .option('--out <dir>', 'output directory, or - for stdout', 'k8s-out')
    .allowExcessArguments(false)
    .action((o: Record<string, unknown>) => {
      const options = parseRenderOptions({
        nodes: o.nodes as number,
        maxNodes: o.maxNodes as number | undefined,
        consensus: o.consensus as 'poa',
        replicas: o.replicas as number,
        namespace: o.namespace as string,
        name: o.name as string,
        image: o.image as string,
        blockTimeMs: o.blockTime as number,
        txRate: o.txRate as number,
        storage: o.storage as string,
        storageClass: o.storageClass as string | undefined,
        host: o.host as string | undefined,
        tlsSecret: o.tlsSecret as string | undefined,
        ingressClass: o.ingressClass as string,
        seed: o.seed as string | undefined,
      });
      const rendered = renderTestnet(options);
      for (const w of rendered.warnings) process.stderr.write(`warning: ${w}\n`);
      if (o.out === '-') {
        process.stdout.write(manifestStream(rendered.manifests));
        return;
      }
      const dir = path.resolve(String(o.out));
      const files = writeManifestDir(dir, rendered.manifests);
      process.stderr.write(
        `${files.length} manifests in ${dir} (${options.nodes} ${options.consensus} nodes, ${options.replicas} server replica(s), namespace ${options.namespace}).\n` +
          `They hold fresh keys and tokens: keep them out of version control. Next: kubectl apply -f ${path.relative(process.cwd(), dir) || '.'}\n`,
      );
    });
  return cmd;
}

try {
  program().parse(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  if (err instanceof K8sRenderError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err.code === 'K8S_OPTIONS_INVALID' ? EXIT_USAGE : 1);
  }
  process.stderr.write(`k8s render failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
