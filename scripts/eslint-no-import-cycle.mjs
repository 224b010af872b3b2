// An ESLint rule that reports an import which leads, through relative value imports, back to the
// importing module. Type-only imports (`import type`, or every specifier marked `type`) are erased
// by TypeScript and start no module, so they are not edges; neither are dynamic `import()` calls.
// Bare specifiers (other packages) are not followed: packages depend on each other's built output.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Source extensions tried, in order, for a relative specifier written with `.js` or none. */
const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

/** Resolves a relative specifier to a file on disk, or null (bare specifiers, missing files). */
function resolve(fromFile, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null;
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, ...SOURCE_EXTS.map((e) => stem + e), ...SOURCE_EXTS.map((e) => path.join(base, `index${e}`))];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // not this candidate
    }
  }
  return null;
}

/** Relative specifiers of the value imports / re-exports in a TypeScript or JavaScript source. */
function valueSpecifiers(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const specs = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypeSpecifiers = clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (onlyTypeSpecifiers) continue;
      specs.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      if (st.isTypeOnly) continue;
      const clause = st.exportClause;
      if (clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)) continue;
      specs.push(st.moduleSpecifier.text);
    }
  }
  return specs;
}

/** Per file: its modification time and resolved value-import targets (reused across files in one run). */
const edgeCache = new Map();

function edgesOf(file) {
  let mtime;
  try {
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = edgeCache.get(file);
  if (hit && hit.mtime === mtime) return hit.edges;
  const edges = valueSpecifiers(file, fs.readFileSync(file, 'utf8')).map((s) => resolve(file, s)).filter((f) => f !== null);
  edgeCache.set(file, { mtime, edges });
  return edges;
}

/** A path of files from `start` to `target` following value imports (depth-first), or null. */
function pathTo(start, target) {
  const seen = new Set();
  const trail = [];
  const walk = (file) => {
    if (file === target) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    trail.push(file);
    for (const next of edgesOf(file)) if (walk(next)) return true;
    trail.pop();
    return false;
  };
  return walk(start) ? [...trail, target] : null;
}

/** True when an ESTree import / export node (typescript-eslint AST) carries no runtime value. */
function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow value imports that lead back to the importing module (import cycles).' },
    schema: [],
    messages: { cycle: 'Import cycle: {{cycle}}. Move the shared part into a module both can import, or import only types.' },
  },
  create(context) {
    const file = context.physicalFilename;
    const cwd = context.cwd;
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string' || isTypeOnly(node)) return;
      const target = resolve(file, node.source.value);
      if (!target) return;
      const loop = pathTo(target, file);
      if (!loop) return;
      const cycle = [file, ...loop].map((f) => path.relative(cwd, f)).join(' → ');
      context.report({ node, messageId: 'cycle', data: { cycle } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

/** A local ESLint plugin holding the rule, used from eslint.config.js as `local/no-import-cycle`. */
export default { meta: { name: 'scratchnet-local' }, rules: { 'no-import-cycle': noImportCycle } };
