// The namespace itself, rendered when it is not `default` so `kubectl apply -f` creates it first.
import { Namespace } from 'kubernetes-models/v1';
import type { Names } from '../names.ts';

export function namespaceObject(names: Names): Namespace {
  return new Namespace({ metadata: { name: names.namespace } });
}
