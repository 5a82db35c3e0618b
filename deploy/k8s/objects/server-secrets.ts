// The server's Secrets. Tokens are generated at render time (the nodes' admin token is shared by
// the nodes and the server). The database is the user's: DATABASE_URL is a placeholder to fill
// in before applying, kept in its own Secret so it can be replaced without touching the tokens.
import { Secret } from 'kubernetes-models/v1';
import { labelsFor, type Names } from '../names.ts';
import type { RenderOptions } from '../render-options.ts';
import type { TestnetMaterial } from '../testnet-material.ts';

export const DATABASE_URL_PLACEHOLDER = 'postgresql://USER:PASSWORD@HOST:5432/testnet';

export function tokensSecret(o: RenderOptions, names: Names, material: TestnetMaterial): Secret {
  return new Secret({
    metadata: { name: names.tokensSecret, namespace: names.namespace, labels: labelsFor(o, 'server') },
    type: 'Opaque',
    stringData: { CONTROL_TOKEN: material.controlToken, NODE_ADMIN_TOKEN: material.nodeAdminToken },
  });
}

export function databaseSecret(o: RenderOptions, names: Names): Secret {
  return new Secret({
    metadata: {
      name: names.databaseSecret,
      namespace: names.namespace,
      labels: labelsFor(o, 'server'),
      annotations: { 'testnet-explorer/fill-in': 'replace DATABASE_URL with your PostgreSQL URL before applying' },
    },
    type: 'Opaque',
    stringData: { DATABASE_URL: DATABASE_URL_PLACEHOLDER },
  });
}
