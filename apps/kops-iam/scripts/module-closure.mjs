// The files a compiled module needs from its own folder: follows relative `require("./x")` in
// .js files and `from './x'` / `import('./x')` in .d.ts files, and names every other module
// they import, so a packaging step can check it against the package's dependencies.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const JS_IMPORT = /\brequire\("([^"]+)"\)/g;
const DTS_IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'([^']+)'/gm;

/**
 * From `entries` (paths relative to `dir`, without extension), the closure of relative imports
 * over files ending in `ext` ('.js' or '.d.ts'). Returns the relative paths (with extension)
 * and the set of non-relative module names imported.
 */
export function moduleClosure(dir, entries, ext) {
  const files = new Set();
  const external = new Set();
  const pattern = ext === '.js' ? JS_IMPORT : DTS_IMPORT;
  const todo = entries.map((e) => `${e}${ext}`);
  while (todo.length > 0) {
    const file = todo.pop();
    if (files.has(file)) continue;
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`module closure: ${path} is missing (build first)`);
    files.add(file);
    for (const [, spec] of readFileSync(path, 'utf8').matchAll(pattern)) {
      if (!spec.startsWith('.')) external.add(spec);
      else todo.push(`${relative(dir, join(dirname(path), spec))}${ext}`);
    }
  }
  return { files: [...files].sort(), external };
}

/** The package name of a module specifier: `@scope/name/lib/x` → `@scope/name`, `node:fs` → `node:fs`. */
export function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
