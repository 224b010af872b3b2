/** The names list bundled by vite.config.ts (see its `bundledNames` plugin). */
declare module 'virtual:text-demo/names' {
  /** The distinct English first names of both @stdlib lists, lower-case, sorted. */
  const names: string[];
  export default names;
}
