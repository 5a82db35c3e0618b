// The explorer's way in: pages, /api and Socket.IO on one host. Socket.IO's WebSocket goes
// through ingress-nginx as an upgrade; the annotations keep a quiet live connection open for an
// hour (nginx's default closes it after 60 s) and pin a browser to one server pod by cookie, as
// Socket.IO's polling transport needs when there is more than one.
import { Ingress, type IIngressRule } from 'kubernetes-models/networking.k8s.io/v1';
import { labelsFor, type Names } from '../names.ts';
import type { RenderOptions } from '../render-options.ts';

export const WEBSOCKET_ANNOTATIONS: Record<string, string> = {
  'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-http-version': '1.1',
  'nginx.ingress.kubernetes.io/affinity': 'cookie',
  'nginx.ingress.kubernetes.io/session-cookie-name': 'explorer-route',
  'nginx.ingress.kubernetes.io/session-cookie-samesite': 'Lax',
};

export function serverIngress(o: RenderOptions, names: Names): Ingress {
  const backend = { service: { name: names.server, port: { name: 'http' } } };
  const rule: IIngressRule = {
    ...(o.host ? { host: o.host } : {}),
    http: {
      paths: [
        // Listed on its own so a proxy that needs per-path settings for WebSockets has a place for them.
        { path: '/socket.io', pathType: 'Prefix', backend },
        { path: '/', pathType: 'Prefix', backend },
      ],
    },
  };
  return new Ingress({
    metadata: {
      name: names.ingress,
      namespace: names.namespace,
      labels: labelsFor(o, 'server'),
      annotations: { ...WEBSOCKET_ANNOTATIONS, ...(o.tlsSecret ? { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } : {}) },
    },
    spec: {
      ingressClassName: o.ingressClass,
      rules: [rule],
      ...(o.tlsSecret && o.host ? { tls: [{ hosts: [o.host], secretName: o.tlsSecret }] } : {}),
    },
  });
}
