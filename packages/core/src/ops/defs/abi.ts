import { BINARY_DEFS } from './binary-defs.js';
import { UNARY_DEFS } from './unary-defs.js';

/**
 * A fingerprint of everything a compiled elementwise kernel bakes in: the op names in code order and
 * their AssemblyScript forms (fused derivatives included). backend-wasm's build stamps it into the module and the host compares it
 * with the tables it was loaded with, so a stale build fails loudly instead of running other ops.
 */
export function elementwiseAbiHash(): number {
  const parts: string[] = [];
  for (const [name, def] of Object.entries(UNARY_DEFS)) {
    parts.push(`u:${name}:${'as' in def ? def.as : ''}:${'asVec' in def ? def.asVec : ''}`);
    if ('grad' in def && def.grad !== undefined) parts.push(`g:${name}:${def.grad.as}:${def.grad.asVec ?? ''}`);
  }
  for (const [name, def] of Object.entries(BINARY_DEFS)) {
    parts.push(`b:${name}:${def.kind}:${'as' in def ? def.as : ''}:${'asVec' in def ? def.asVec : ''}`);
  }
  // FNV-1a over the UTF-16 code units, as a signed 32-bit integer (an AssemblyScript i32).
  let h = 0x811c9dc5;
  for (const ch of parts.join('\n')) {
    for (let i = 0; i < ch.length; i++) h = Math.imul(h ^ ch.charCodeAt(i), 0x01000193);
  }
  return h | 0;
}
