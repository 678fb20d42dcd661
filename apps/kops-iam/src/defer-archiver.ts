import { Module } from 'node:module';
import { dirname } from 'node:path';

/**
 * Defers the `archiver` package, which cdktf requires as it loads (to zip Terraform
 * assets) and which is a third or more of cdktf's load time. kops-iam creates no assets;
 * until something calls it, a stand-in sits in the module cache under archiver's own
 * path, and the first call loads the real package and hands over to it. Import this
 * module before cdktf.
 */
function deferArchiver(): void {
  let path: string;
  try {
    // Resolved from cdktf's folder, as cdktf's own require does.
    path = require.resolve('archiver', { paths: [dirname(require.resolve('cdktf'))] });
  } catch {
    return; // a cdktf without archiver: nothing to defer
  }
  if (require.cache[path] !== undefined) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const standIn = new Module(path, module);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = (...args: unknown[]): unknown => {
    if (real === undefined) {
      delete require.cache[path];
      // A path known only at run time: the real archiver replaces the stand-in on first use.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(path) as (...args: unknown[]) => unknown;
    }
    return real(...args);
  };
  require.cache[path] = standIn;
}

deferArchiver();
