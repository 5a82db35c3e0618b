// A control-plane configuration for tests: loopback, API only, the given data dir.
import { loadServerConfig, type ServerConfig } from '../config.ts';

export function testServerConfig(overrides: Partial<ServerConfig> & { dataDir: string }): ServerConfig {
  const base = loadServerConfig({ NODE_ENV: 'test' });
  return { ...base, host: '127.0.0.1', port: 0, serveExplorer: false, controlToken: 'test-control-token-0123456789', logLevel: 'silent', ...overrides };
}
