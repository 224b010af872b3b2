/**
 * PyTorch's spellings of the layer names (`Conv2d`, `BatchNorm2d`, `MaxPool2d`...). ScratchNet's
 * own names end in a capital `D` (`Conv2D`); these are the same classes under PyTorch's names, so
 * code ported from PyTorch runs unchanged. Saved models and summaries always use the `D` names.
 */
import { BatchNorm1D, BatchNorm2D } from './batchnorm.js';
import { Conv2D } from './conv2d.js';
import { AvgPool2D, MaxPool2D } from './pooling.js';
import { Conv1D } from './conv1d.js';
import { ConvTranspose2D } from './conv-transpose2d.js';

/** PyTorch's spelling of {@link Conv2D} (the same class). */
export const Conv2d = Conv2D;
/** PyTorch's spelling of {@link Conv2D} (the same class). */
export type Conv2d = Conv2D;
/** PyTorch's spelling of {@link MaxPool2D} (the same class). */
export const MaxPool2d = MaxPool2D;
/** PyTorch's spelling of {@link MaxPool2D} (the same class). */
export type MaxPool2d = MaxPool2D;
/** PyTorch's spelling of {@link AvgPool2D} (the same class). */
export const AvgPool2d = AvgPool2D;
/** PyTorch's spelling of {@link AvgPool2D} (the same class). */
export type AvgPool2d = AvgPool2D;
/** PyTorch's spelling of {@link BatchNorm1D} (the same class). */
export const BatchNorm1d = BatchNorm1D;
/** PyTorch's spelling of {@link BatchNorm1D} (the same class). */
export type BatchNorm1d = BatchNorm1D;
/** PyTorch's spelling of {@link BatchNorm2D} (the same class). */
export const BatchNorm2d = BatchNorm2D;
/** PyTorch's spelling of {@link BatchNorm2D} (the same class). */
export type BatchNorm2d = BatchNorm2D;
/** PyTorch's spelling of {@link Conv1D} (the same class). */
export const Conv1d = Conv1D;
/** PyTorch's spelling of {@link Conv1D} (the same class). */
export type Conv1d = Conv1D;
/** PyTorch's spelling of {@link ConvTranspose2D} (the same class). */
export const ConvTranspose2d = ConvTranspose2D;
/** PyTorch's spelling of {@link ConvTranspose2D} (the same class). */
export type ConvTranspose2d = ConvTranspose2D;
