// What the node pods read at start: the genesis (public, a ConfigMap) and each validator's key
// and load-generator accounts (private, a Secret, one entry per pod named after it).
import { ConfigMap, Secret } from 'kubernetes-models/v1';
import { GENESIS_FILE, labelsFor, type Names } from '../names.ts';
import type { RenderOptions } from '../render-options.ts';
import type { TestnetMaterial } from '../testnet-material.ts';

export function genesisConfigMap(o: RenderOptions, names: Names, material: TestnetMaterial): ConfigMap {
  return new ConfigMap({
    metadata: { name: names.genesisConfigMap, namespace: names.namespace, labels: labelsFor(o, 'node') },
    data: { [GENESIS_FILE]: JSON.stringify(material.genesis, null, 2) + '\n' },
  });
}

export function nodeKeysSecret(o: RenderOptions, names: Names, material: TestnetMaterial): Secret {
  return new Secret({
    metadata: { name: names.keysSecret, namespace: names.namespace, labels: labelsFor(o, 'node') },
    type: 'Opaque',
    stringData: material.nodeFiles,
  });
}
