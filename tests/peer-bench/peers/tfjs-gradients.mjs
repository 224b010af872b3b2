// tfjs-core's Node build (CommonJS) registers no gradients: the union package @tensorflow/tfjs imports
// `@tensorflow/tfjs-core/dist/register_all_gradients` into its own bundle, and that file ships only as
// ES modules with extensionless imports, which Node's resolver rejects. This loads it through a resolve
// hook that adds the '.js' inside tfjs-core's dist/. The gradients land in tfjs's registry, which lives
// on `globalThis` and so is the one the CommonJS build reads.
import { register } from 'node:module';

const HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (context.parentURL?.includes('/tfjs-core/dist/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
      return next(specifier + '.js', context);
    }
    throw e;
  }
}`;

/** Registers every tfjs gradient; call after requiring '@tensorflow/tfjs-core'. */
export async function registerTfjsGradients() {
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
}
