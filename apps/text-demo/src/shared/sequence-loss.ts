import { reshape, type Tensor } from '@scratchnet/core';
import { CrossEntropyLoss } from '@scratchnet/layers';

/** Cross-entropy of next-token logits [N, T, V] against targets [N, T], averaged over every position. */
export class NextTokenLoss {
  private readonly inner = new CrossEntropyLoss();

  forward(logits: Tensor, targets: Tensor): Tensor {
    return this.inner.forward(reshape(logits, [-1, logits.shape[logits.rank - 1]!]), reshape(targets, [-1]));
  }
}
