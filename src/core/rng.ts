/**
 * A seeded random source (splitmix32 + Box–Muller). Everything random in a run — initial weights,
 * latents, data order, gradient-penalty mixing — draws from one of these, so the same seed on the
 * same backend repeats a run exactly. Its whole state is one number, so it can be checkpointed.
 */
export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
    this.state = Math.floor(seed) >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  normals(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  uniforms(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }

  /** A child source whose stream does not overlap this one's in practice. */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296) ^ 0x5bd1e995);
  }

  get snapshot(): { state: number; spare: number | null } {
    return { state: this.state, spare: this.spare };
  }

  static restore(s: { state: number; spare: number | null }): Rng {
    const r = new Rng(0);
    r.state = s.state >>> 0;
    r.spare = s.spare;
    return r;
  }
}
