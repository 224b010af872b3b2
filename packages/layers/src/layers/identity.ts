import type { Tensor } from '@scratchnet/core';
import { Module, registerModule } from '../module.js';

/**
 * Returns its input unchanged (the same tensor), as PyTorch's nn.Identity: a placeholder where a
 * layer is optional, e.g. `norm ? new LayerNorm(d) : new Identity()`. Constructor arguments are
 * accepted and ignored, as in PyTorch.
 */
export class Identity extends Module {
  constructor(..._ignored: unknown[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

registerModule('Identity', Identity, () => new Identity());
