/** Stands in for vitest in the browser bundle: the page calls the suite's case runners, never its test registration. */
const unavailable = (): never => {
  throw new Error('vitest is not available in the browser page');
};
export const describe = unavailable;
export const it = unavailable;
export const expect = unavailable;
export const beforeAll = unavailable;
export const afterAll = unavailable;
