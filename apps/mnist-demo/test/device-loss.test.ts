/** The demo's side of a lost GPU device: which backend training goes on on, and what the user is told. */
import { DeviceLostError } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { deviceLossLine, fallbackFor } from '../src/shared/backends.js';

describe('a lost device in the demo', () => {
  it('goes on on the best other backend not known to be unavailable', () => {
    const registered = ['webgpu', 'wasm', 'js'];
    const up = (name: string) => ({ name, available: true });
    expect(fallbackFor([up('webgpu'), up('wasm'), up('js')], 'webgpu', registered)).toBe('wasm');
    expect(fallbackFor([up('webgpu'), { name: 'wasm', available: false, reason: 'no SIMD' }, up('js')], 'webgpu', registered)).toBe('js');
    // --backend webgpu starts only webgpu: the others are skipped, not unavailable.
    expect(fallbackFor([up('webgpu'), { name: 'wasm', available: false, skipped: true }], 'webgpu', registered)).toBe('wasm');
    expect(fallbackFor([up('webgpu')], 'webgpu', ['webgpu'])).toBeUndefined();
  });

  it('tells the user what was lost, where training goes on, and from which weights', () => {
    const error = new DeviceLostError('matmul', 'webgpu', { reason: 'unknown', message: 'GPU reset' });
    const base = { error, epoch: 0, batch: 7, skipped: true, from: 'webgpu', to: 'wasm' };
    expect(deviceLossLine({ ...base, syncedInEpoch: 0, syncedAfterBatch: 50 })).toBe(
      'the webgpu device was lost (unknown: GPU reset); switched backend: webgpu → wasm, going on from the weights synced after batch 50',
    );
    expect(deviceLossLine({ ...base, syncedInEpoch: -1, syncedAfterBatch: 0 })).toMatch(/going on from the last synced weights$/);
  });
});
