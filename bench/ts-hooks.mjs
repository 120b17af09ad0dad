// Lets a benchmark import the TypeScript sources directly (node --experimental-strip-types
// --import ./bench/ts-hooks.mjs): an import of `./x.js` that does not exist resolves to `./x.ts`.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (err) {
      if (err?.code === 'ERR_MODULE_NOT_FOUND' && /^\.{1,2}\/.*\.js$/.test(specifier))
        return next(specifier.replace(/\.js$/, '.ts'), context);
      throw err;
    }
  },
});
