// Builds every object of a testnet on Kubernetes, in the order `kubectl apply -f <dir>` should
// create them (namespace, then what pods mount, then workloads, then the way in), and checks each
// against the Kubernetes JSON schemas bundled with kubernetes-models: offline, no cluster needed.
import { namesFor, type Names } from './names.ts';
import { K8sRenderError, type RenderOptions } from './render-options.ts';
import { createTestnetMaterial, type TestnetMaterial } from './testnet-material.ts';
import { namespaceObject } from './objects/namespace.ts';
import { genesisConfigMap, nodeKeysSecret } from './objects/node-files.ts';
import { nodeHeadlessService } from './objects/node-service.ts';
import { nodeStatefulSet } from './objects/node-statefulset.ts';
import { databaseSecret, tokensSecret } from './objects/server-secrets.ts';
import { serverDeployment } from './objects/server-deployment.ts';
import { serverFleetRole, serverFleetRoleBinding, serverServiceAccount } from './objects/server-rbac.ts';
import { serverService } from './objects/server-service.ts';
import { serverIngress } from './objects/server-ingress.ts';

/** What every kubernetes-models object is: checked against its schema, turned into plain JSON. */
export interface K8sObject {
  validate(): void;
  toJSON(): unknown;
}

export interface Manifest {
  /** File name in the output directory, e.g. `40-node-statefulset.yaml`. */
  file: string;
  object: K8sObject;
}

export interface RenderedTestnet {
  names: Names;
  material: TestnetMaterial;
  manifests: Manifest[];
  /** Things the user must know before applying (printed by the CLI). */
  warnings: string[];
}

export function renderTestnet(o: RenderOptions, now = Date.now()): RenderedTestnet {
  const names = namesFor(o);
  const material = createTestnetMaterial(o, names, now);
  const objects: Array<[string, K8sObject]> = [
    ...(o.namespace !== 'default' ? [['namespace', namespaceObject(names)] as [string, K8sObject]] : []),
    ['genesis-configmap', genesisConfigMap(o, names, material)],
    ['node-keys-secret', nodeKeysSecret(o, names, material)],
    ['tokens-secret', tokensSecret(o, names, material)],
    ['database-secret', databaseSecret(o, names)],
    ['node-service', nodeHeadlessService(o, names)],
    ['node-statefulset', nodeStatefulSet(o, names)],
    ['server-serviceaccount', serverServiceAccount(o, names)],
    ['server-role', serverFleetRole(o, names)],
    ['server-rolebinding', serverFleetRoleBinding(o, names)],
    ['server-deployment', serverDeployment(o, names)],
    ['server-service', serverService(o, names)],
    ['server-ingress', serverIngress(o, names)],
  ];
  const manifests = objects.map(([what, object], i) => ({ file: `${String(i).padStart(2, '0')}-${what}.yaml`, object }));
  for (const m of manifests) validateManifest(m);
  const warnings = [`${names.databaseSecret} holds a placeholder DATABASE_URL: put your PostgreSQL URL in it before applying.`];
  return { names, material, manifests, warnings };
}

function validateManifest(m: Manifest): void {
  try {
    m.object.validate();
  } catch (err) {
    throw new K8sRenderError('K8S_MANIFEST_INVALID', `${m.file} does not match the Kubernetes schema: ${(err as Error).message}`, { cause: err });
  }
}
