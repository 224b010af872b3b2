import type { ESLint } from 'eslint';

/** The local ESLint plugin holding `no-import-cycle` (see eslint-no-import-cycle.mjs). */
declare const plugin: ESLint.Plugin;
export default plugin;
