/**
 * Kernels the tfjs wasm backend lacks (or runs slowly), built from kernels it has.
 *
 * - Conv2DBackpropFilter: missing in tfjs-backend-wasm 4.22.0, so a conv GAN cannot train at all.
 *   dW[kh,kw,ci,co] = Σ_{n,i,j} xpad[n, i·s+kh, j·s+kw, ci] · dy[n,i,j,co] is a correlation of the
 *   input with the output gradient: treat x as a batch of `ci` images with `n` channels and dy as a
 *   filter of size H'×W' mapping n → co, then run Conv2D with dilation = the forward stride.
 * - Conv2DBackpropInput (stride 1): a Conv2D of dy with the filter flipped in space and its channel
 *   axes swapped; XNNPACK runs that far faster than wasm's own backprop-input kernel.
 *
 * - Identity shares data instead of copying it (the engine clones every tensor a gradient saves).
 * - AvgPoolGrad (non-overlapping windows: a loop over the heap), ResizeNearestNeighborGrad (integer
 *   factors: AvgPool·s²), Sum over leading axes (bias gradients: a GEMV with ones) — instead of
 *   tfjs's generic kernels, which transpose first.
 *
 * Kernels call other wasm kernels directly (no tfjs ops), so nothing is recorded on a gradient tape
 * and every intermediate buffer is freed here. Each is checked against the cpu backend in tests.
 */
import * as tf from '@tensorflow/tfjs';
import { blockLoop } from './blockLoop';
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

type Backend = Parameters<KernelFunc>[0]['backend'] & {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
};

/** Runs a registered wasm kernel on TensorInfos, bypassing the engine (no tape, no tracking). */
function runWasm(name: string, backend: Backend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function padInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs) {
  if (attrs.dataFormat === 'NCHW') throw new Error('GrowLab wasm kernels support NHWC only');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as Backend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const [kh, kw, ci, co] = a.filterShape;
  const info = padInfo(x.shape, a.filterShape, a);
  const { top, bottom, left, right } = info.padInfo;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);

  // x: [n,H,W,ci] → padded, as [ci, Hp, Wp, n].
  let xt = keep(runWasm('Transpose', b, { x }, { perm: [3, 1, 2, 0] }));
  if (top || bottom || left || right) {
    const paddings = [[0, 0], [top, bottom], [left, right], [0, 0]];
    xt = keep(runWasm('PadV2', b, { x: xt }, { paddings, constantValue: 0 }));
  }
  // dy: [n,H',W',co] → filter [H', W', n, co].
  const dyt = keep(runWasm('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] }));
  const corr = keep(
    runWasm('Conv2D', b, { x: xt, filter: dyt }, {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    }),
  );
  // corr: [ci, ≥kh, ≥kw, co] → slice → [kh, kw, ci, co].
  const sliced = keep(runWasm('Slice', b, { x: corr }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
  const dw = runWasm('Transpose', b, { x: sliced }, { perm: [1, 2, 0, 3] });
  for (const t of temps) b.disposeData(t.dataId);
  return dw;
};

function makeConv2DBackpropInput(fallback: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const b = backend as Backend;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    const info = padInfo(a.inputShape, filter.shape, a);
    const [kh, kw] = filter.shape as [number, number, number, number];
    const [, H, W] = a.inputShape;
    const [, Ho, Wo] = dy.shape as [number, number, number, number];
    const pt = kh - 1 - info.padInfo.top;
    const pl = kw - 1 - info.padInfo.left;
    const pb = H + kh - 1 - Ho - pt;
    const pr = W + kw - 1 - Wo - pl;
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || Math.min(pt, pl, pb, pr) < 0) {
      return fallback({ inputs, backend, attrs });
    }
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    const flipped = keep(runWasm('Reverse', b, { x: filter }, { dims: [0, 1] }));
    const swapped = keep(runWasm('Transpose', b, { x: flipped }, { perm: [0, 1, 3, 2] }));
    let padded = dy;
    if (pt || pl || pb || pr) {
      const paddings = [[0, 0], [pt, pb], [pl, pr], [0, 0]];
      padded = keep(runWasm('PadV2', b, { x: dy }, { paddings, constantValue: 0 }));
    }
    const dx = runWasm('Conv2D', b, { x: padded, filter: swapped }, {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [1, 1],
    });
    for (const t of temps) b.disposeData(t.dataId);
    return dx;
  };
}

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0]!, v[1] ?? v[0]!] : [v, v]);

function makeAvgPoolGrad(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const b = args.backend as Backend;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const a = args.attrs as unknown as { filterSize: number | number[]; strides: number | number[]; pad: unknown };
    const [fh, fw] = pair(a.filterSize);
    const [sh, sw] = pair(a.strides);
    const [, H, W] = input.shape as [number, number, number, number];
    const [, h, w] = dy.shape as [number, number, number, number];
    const blocks = fh === sh && fw === sw && fh === fw && (a.pad === 'valid' || a.pad === 0) && H === h * fh && W === w * fw;
    if (!blocks) return fallback(args);
    const out = b.makeOutput(input.shape, 'float32');
    blockLoop(b.typedArrayFromHeap(dy), b.typedArrayFromHeap(out), dy.shape, fh, 1 / (fh * fw), false);
    return out;
  };
}

/** A float32 scalar on the wasm heap. */
function scalar(b: Backend, value: number): TensorInfo {
  const t = b.makeOutput([], 'float32');
  b.typedArrayFromHeap(t)[0] = value;
  return t;
}

/** Exact s× nearest upsampling: the gradient is an s×s sum pool = AvgPool·s² (XNNPACK). */
function makeResizeNearestGrad(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const b = args.backend as Backend;
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
    const [, h, w] = images.shape as [number, number, number, number];
    const [, H, W] = dy.shape as [number, number, number, number];
    const s = H / h;
    if (alignCorners || halfPixelCenters || !Number.isInteger(s) || W !== w * s) return fallback(args);
    const pooled = runWasm('AvgPool', b, { x: dy }, { filterSize: [s, s], strides: [s, s], pad: 'valid' });
    const k = scalar(b, s * s);
    const out = runWasm('Multiply', b, { a: pooled, b: k });
    b.disposeData(pooled.dataId);
    b.disposeData(k.dataId);
    return out;
  };
}

/** Sums over leading axes (bias gradients) as ones[1, outer] · x[outer, inner]: one GEMV, no transpose. */
function makeSum(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const b = args.backend as Backend;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((ax, i) => ax === i);
    if (!leading || x.dtype !== 'float32') return fallback(args);
    const inner = x.shape.slice(axes.length);
    const size = inner.reduce((p, q) => p * q, 1);
    const outer = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
    const ones = b.makeOutput([1, 1, outer], 'float32');
    b.typedArrayFromHeap(ones).fill(1);
    const out = runWasm('BatchMatMul', b, { a: ones, b: { ...x, shape: [1, outer, size] } }, { transposeA: false, transposeB: false });
    b.disposeData(ones.dataId);
    return { ...out, shape: keepDims ? [...axes.map(() => 1), ...inner] : inner };
  };
}

/**
 * Identity without a copy. tfjs's engine clones every tensor it saves for a backward pass through
 * Identity, and wasm's Identity copies the data; tensor data is immutable, so sharing it by
 * reference count (as wasm's own Reshape and webgl's Identity do) is enough.
 */
function makeIdentity(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return fallback(args);
    (args.backend as Backend & { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Replaces a stock wasm kernel by `make(stock)` once (the stock one stays the fallback). */
function override(name: string, make: (stock: KernelFunc) => KernelFunc): boolean {
  const stock = tf.getKernel(name, 'wasm') as (KernelConfig & { growlab?: true }) | undefined;
  if (!stock || stock.growlab) return false;
  tf.unregisterKernel(name, 'wasm');
  const config: KernelConfig & { growlab: true } = {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: make(stock.kernelFunc),
    growlab: true,
  };
  if (stock.setupFunc) config.setupFunc = stock.setupFunc;
  tf.registerKernel(config);
  return true;
}

/**
 * Registers GrowLab's wasm kernels (idempotent). Call after the wasm backend module is imported.
 * Returns the names of the kernels this call registered.
 */
export function registerWasmKernels(): string[] {
  const done: string[] = [];
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter });
    done.push('Conv2DBackpropFilter');
  }
  const overrides: [string, (stock: KernelFunc) => KernelFunc][] = [
    ['Conv2DBackpropInput', makeConv2DBackpropInput],
    ['AvgPoolGrad', makeAvgPoolGrad],
    ['ResizeNearestNeighborGrad', makeResizeNearestGrad],
    ['Sum', makeSum],
    ['Identity', makeIdentity],
  ];
  for (const [name, make] of overrides) if (override(name, make)) done.push(name);
  return done;
}
