// Writes rendered manifests as YAML: one file per object in a directory (replacing what an
// earlier render left there), or one multi-document stream for `--out -`.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Manifest } from './render.ts';

export function manifestYaml(m: Manifest): string {
  // lineWidth 0: never fold long lines (the peer and ATTACH lists), so the YAML reads as rendered.
  return stringify(m.object.toJSON(), { lineWidth: 0 });
}

export function manifestStream(manifests: Manifest[]): string {
  return manifests.map((m) => `# ${m.file}\n${manifestYaml(m)}`).join('---\n');
}

/** Writes one YAML per manifest into `dir`; earlier `NN-*.yaml` files there are removed first. */
export function writeManifestDir(dir: string, manifests: Manifest[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  for (const old of fs.readdirSync(dir)) if (/^\d\d-.*\.yaml$/.test(old)) fs.rmSync(path.join(dir, old));
  return manifests.map((m) => {
    const file = path.join(dir, m.file);
    // Secrets are in there: readable by the user only.
    fs.writeFileSync(file, manifestYaml(m), { mode: 0o600 });
    return file;
  });
}
