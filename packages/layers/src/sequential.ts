import { ArgumentError, type Tensor } from '@scratchnet/core';
import { Module, moduleFromConfig, registerModule, type ModuleConfig } from './module.js';

const isList = (v: unknown): boolean => Array.isArray(v);

/** Layers applied in order; children are named '0', '1', ... as in PyTorch. */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(layers: readonly Module[]) {
    super();
    if (!isList(layers)) throw new ArgumentError('Sequential: layers must be an array of modules');
    layers.forEach((layer, i) => this.addChild(String(i), layer));
    this.layers = [...layers];
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x);
  }

  protected getConfig(): Record<string, unknown> {
    return { layers: this.layers.map((l) => l.toConfig()) };
  }
}

registerModule('Sequential', Sequential, (c) => {
  if (!Array.isArray(c.layers)) throw new ArgumentError('Sequential: config.layers must be an array of module configs');
  return new Sequential((c.layers as ModuleConfig[]).map((l) => moduleFromConfig(l)));
});
