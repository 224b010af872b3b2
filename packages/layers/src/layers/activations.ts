import { gelu, leakyRelu, relu, sigmoid, softmax, tanh, type Tensor } from '@scratchnet/core';
import { Module, registerModule } from '../module.js';

/** max(x, 0) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

/** x for x > 0, negativeSlope·x otherwise (default slope 0.01, as PyTorch). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  protected getConfig(): Record<string, unknown> {
    return { negativeSlope: this.negativeSlope };
  }
}

/** 1 / (1 + e⁻ˣ) */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Softmax along `dim` (default the last axis). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }

  protected getConfig(): Record<string, unknown> {
    return { dim: this.dim };
  }
}

/** GELU, exact (erf) form. */
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return gelu(x);
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

registerModule('ReLU', ReLU, () => new ReLU());
registerModule('LeakyReLU', LeakyReLU, (c) => new LeakyReLU(c.negativeSlope as number));
registerModule('Sigmoid', Sigmoid, () => new Sigmoid());
registerModule('Tanh', Tanh, () => new Tanh());
registerModule('Softmax', Softmax, (c) => new Softmax(c.dim as number));
registerModule('GELU', GELU, () => new GELU());
