// The security settings every pod and container of the testnet shares: the image's non-root
// user, no privilege escalation, no Linux capabilities. fsGroup makes mounted volumes (chain
// data, Secrets) readable and writable by that user.
import type { IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';
import { RUN_AS_USER } from '../names.ts';

export const podSecurityContext: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: RUN_AS_USER,
  runAsGroup: RUN_AS_USER,
  fsGroup: RUN_AS_USER,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const containerSecurityContext: ISecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};
