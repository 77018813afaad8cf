/**
 * The shared loop of pooling and nearest-upsampling gradients on NHWC tensors: `big` is s× `small`
 * in both spatial axes. toSmall: small[n,i,j,c] = scale·Σ big[n, i·s+a, j·s+b, c];
 * otherwise big[n, i·s+a, j·s+b, c] = scale·small[n,i,j,c].
 */
export function blockLoop(small: Float32Array, big: Float32Array, shape: number[], s: number, scale: number, toSmall: boolean) {
  const [n, h, w, c] = shape as [number, number, number, number];
  const W = w * s;
  if (toSmall) small.fill(0);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h * s; i++)
      for (let j = 0; j < W; j++) {
        const bigAt = ((b * h * s + i) * W + j) * c;
        const smallAt = ((b * h + Math.floor(i / s)) * w + Math.floor(j / s)) * c;
        if (toSmall) for (let k = 0; k < c; k++) small[smallAt + k]! += big[bigAt + k]!;
        else for (let k = 0; k < c; k++) big[bigAt + k] = small[smallAt + k]! * scale;
      }
  if (toSmall && scale !== 1) for (let i = 0; i < small.length; i++) small[i]! *= scale;
}

