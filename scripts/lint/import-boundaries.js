// ESLint rule `boundaries/imports`: which top-level parts of the tree may import which.
// An import is judged by the file it resolves to, not by how its path is spelled, so
// `../../server/db/client.ts` from any depth, `./api/x.ts` and `@/server/x` are all seen as
// `server/...`. (ESLint's own `no-restricted-imports` matches the spelling only, and its
// options from several `files` blocks replace each other instead of adding up.)
//
// Options: `{ root, rules }`. `root` is the repository root; each rule names a folder it
// applies to (`from`, '' for every file) and either the only targets it may import (`allow`)
// or targets it must not import (`deny`), plus `because`, printed with every report.
// A target is a folder ('node/p2p' covers 'node/p2p' and everything under it), `pkg:*` (any
// npm package or Node built-in) or `pkg:NAME` (one package). A file inside a denied folder
// may import that folder: `{ from: '', deny: ['bench'] }` still lets bench/ import bench/.
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules);

/** What a module specifier points at: a repository path (POSIX, root-relative) or a package. */
export function classify(specifier, fromFile, root) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const abs = path.resolve(path.dirname(fromFile), specifier);
    return { kind: 'path', path: path.relative(root, abs).split(path.sep).join('/') };
  }
  if (specifier.startsWith('@/')) return { kind: 'path', path: path.posix.normalize(specifier.slice(2)) };
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) return { kind: 'package', name: 'node:' };
  // `#name` is a package.json `imports` entry: it names what it resolves to, like a package.
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

const inside = (file, folder) => folder === '' || file === folder || file.startsWith(`${folder}/`);

function matches(target, resolved) {
  if (target.startsWith('pkg:')) {
    if (resolved.kind !== 'package') return false;
    const name = target.slice(4);
    return name === '*' || name === resolved.name;
  }
  return resolved.kind === 'path' && inside(resolved.path, target);
}

/** The reason `file` may not import `resolved`, or null when it may. */
export function violation(rules, file, resolved) {
  for (const rule of rules) {
    if (!inside(file, rule.from)) continue;
    if (rule.allow && !rule.allow.some((t) => matches(t, resolved))) {
      return `${rule.from}/ may import only ${rule.allow.join(', ')}: ${rule.because}`;
    }
    for (const target of rule.deny ?? []) {
      if (resolved.kind === 'path' && inside(file, target)) continue;
      if (matches(target, resolved)) return `${rule.from || 'no file'}${rule.from ? '/' : ''} must not import ${target}: ${rule.because}`;
    }
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce which parts of the tree may import which, by resolved path' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, rules: { type: 'array' } },
        required: ['root', 'rules'],
        additionalProperties: false,
      },
    ],
    messages: { boundary: "'{{specifier}}' resolves to {{target}}; {{reason}}" },
  },
  create(context) {
    const { root, rules } = context.options[0];
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    if (file.startsWith('..')) return {};
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return; // a computed import() path
      const resolved = classify(source.value, context.filename, root);
      const reason = violation(rules, file, resolved);
      if (reason) {
        const target = resolved.kind === 'path' ? resolved.path : resolved.name === 'node:' ? 'a Node built-in' : `package ${resolved.name}`;
        context.report({ node: source, messageId: 'boundary', data: { specifier: source.value, target, reason } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source.type === 'Literal' ? node.source : null),
      TSImportType: (node) => check(node.source ?? node.argument?.literal),
      TSExternalModuleReference: (node) => check(node.expression),
      'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => check(node.arguments[0]?.type === 'Literal' ? node.arguments[0] : null),
    };
  },
};

export default { meta: { name: 'boundaries' }, rules: { imports: importsRule } };
