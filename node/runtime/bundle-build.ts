// How the node daemon's one-file bundle is built (esbuild): used by node-bundle.ts (a bundle of
// the current sources, for local testnets) and scripts/build-dist.ts (the compiled tree).
// Also a program, `node --import tsx node/runtime/bundle-build.ts ENTRY OUT`, because esbuild
// runs plugins only in its asynchronous API and node-bundle.ts must answer synchronously.
//
// What each choice is worth was measured on a started node's RSS (`npm run bench -- node-runtime`):
//   whitespace and syntax minified, identifiers kept: the names in stack traces stay the
//     sources' own, without esbuild's keepNames, which wraps every function in a __name() call
//     at start; those thousands of calls alone made V8 optimize start-up code (~4 MB RSS).
//   zod's locales left out (zodEnglishOnly below): 270 kB less source to hold and pre-parse.
import type { BuildOptions, Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * zod re-exports all of its ~45 message locales as `z.locales`, a namespace no bundler can
 * shake out. The daemon speaks English, zod's default, which zod's schemas import from
 * locales/en.js directly; `z.locales` becomes just `{ en }`.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: args.resolveDir } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData as string,
    }));
  },
};

export function nodeBundleOptions(entry: string, outFile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages' CommonJS code calls require(); give the ES module one.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    // ws tries these optional native helpers in a try/catch; they are not installed.
    external: ['bufferutil', 'utf-8-validate'],
    // No source map: reading one costs every start.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [zodEnglishOnly],
    logLevel: 'error',
  };
}

/** Bundles `entry` into one ES module at `outFile`; rejects with esbuild's messages when the sources do not build. */
export async function buildNodeBundle(entry: string, outFile: string): Promise<void> {
  // esbuild comes with tsx (a dependency); loaded only when a bundle must be built.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  await esbuild.build(nodeBundleOptions(entry, outFile));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, outFile] = process.argv.slice(2);
  if (!entry || !outFile) {
    console.error('usage: node --import tsx node/runtime/bundle-build.ts ENTRY OUT');
    process.exit(2);
  }
  buildNodeBundle(entry, outFile).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
