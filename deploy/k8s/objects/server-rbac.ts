// What the control plane may do in the cluster, and nothing more: find the node pods (list),
// read and delete them by name (restart, kill), and read and change the StatefulSet's replica
// count (add-node). Names are pinned where Kubernetes allows it (every pod name add-node can
// reach, the one StatefulSet); `list` cannot be pinned to names. The Deployment runs as this
// ServiceAccount (server/orchestrator/kubernetes/).
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ServiceAccount } from 'kubernetes-models/v1';
import { labelsFor, podName, type Names } from '../names.ts';
import { podLimit, type RenderOptions } from '../render-options.ts';

export function serverServiceAccount(o: RenderOptions, names: Names): ServiceAccount {
  return new ServiceAccount({ metadata: { name: names.server, namespace: names.namespace, labels: labelsFor(o, 'server') } });
}

export function serverFleetRole(o: RenderOptions, names: Names): Role {
  const pods = Array.from({ length: podLimit(o) }, (_, i) => podName(names, i));
  return new Role({
    metadata: { name: names.server, namespace: names.namespace, labels: labelsFor(o, 'server') },
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], resourceNames: pods, verbs: ['get', 'delete'] },
      { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: [names.nodes], verbs: ['get', 'patch'] },
    ],
  });
}

export function serverFleetRoleBinding(o: RenderOptions, names: Names): RoleBinding {
  return new RoleBinding({
    metadata: { name: names.server, namespace: names.namespace, labels: labelsFor(o, 'server') },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: names.server },
    subjects: [{ kind: 'ServiceAccount', name: names.server, namespace: names.namespace }],
  });
}
