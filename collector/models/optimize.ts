/**
 * Derivative-free minimisation (Nelder–Mead) for the models' maximum-likelihood fits.
 * The models optimise over log-parameters, so the search space is unconstrained.
 */

export interface MinimizeOptions {
  /** Initial simplex edge length along each axis. @default 0.5 */
  step?: number;
  /** Stop when the simplex's function values differ by less than this. @default 1e-10 */
  fTol?: number;
  /** Stop when every vertex is this close to the best one. @default 1e-9 */
  xTol?: number;
  /** @default 5000 */
  maxIterations?: number;
  /** Restarts from the best point: Nelder–Mead can stall on a collapsed simplex. @default 2 */
  restarts?: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Minimise `f` from `start` with the Nelder–Mead simplex method (standard coefficients).
 * Non-finite values of `f` count as +Infinity, so the search steps back from them.
 * @example minimize(([x, y]) => (x - 1) ** 2 + (y + 2) ** 2, [0, 0]).x // ≈ [1, −2]
 */
export function minimize(f: (x: number[]) => number, start: number[], options: MinimizeOptions = {}): MinimizeResult {
  const { restarts = 2 } = options;
  let result = run(f, start, options);
  let iterations = result.iterations;
  let evaluations = result.evaluations;
  for (let i = 0; i < restarts; i++) {
    const again = run(f, result.x, { ...options, step: (options.step ?? 0.5) / 5 });
    iterations += again.iterations;
    evaluations += again.evaluations;
    const improved = again.value < result.value - (options.fTol ?? 1e-10);
    if (again.value <= result.value) result = again;
    if (!improved) break;
  }
  return { ...result, iterations, evaluations };
}

function run(f: (x: number[]) => number, start: number[], o: MinimizeOptions): MinimizeResult {
  const { step = 0.5, fTol = 1e-10, xTol = 1e-9, maxIterations = 5000 } = o;
  const n = start.length;
  let evaluations = 0;
  const value = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pts: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] += step;
    pts.push(p);
  }
  const vals = pts.map(value);
  let it = 0;
  let converged = false;
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  for (; it < maxIterations; it++) {
    order.sort((i, j) => vals[i] - vals[j]);
    const best = order[0];
    const worst = order[n];
    const second = order[n - 1];
    if (Math.abs(vals[worst] - vals[best]) <= fTol && spread(pts, best) <= xTol * 1e3) {
      converged = true;
      break;
    }
    if (spread(pts, best) <= xTol) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (const i of order) if (i !== worst) for (let d = 0; d < n; d++) centroid[d] += pts[i][d] / n;
    const along = (t: number): number[] => centroid.map((c, d) => c + t * (pts[worst][d] - c));
    const reflected = along(-1);
    const fr = value(reflected);
    if (fr < vals[best]) {
      const expanded = along(-2);
      const fe = value(expanded);
      if (fe < fr) replace(worst, expanded, fe);
      else replace(worst, reflected, fr);
    } else if (fr < vals[second]) {
      replace(worst, reflected, fr);
    } else {
      const contracted = fr < vals[worst] ? along(-0.5) : along(0.5);
      const fc = value(contracted);
      if (fc < Math.min(fr, vals[worst])) replace(worst, contracted, fc);
      else {
        // Shrink every vertex toward the best one.
        for (const i of order) {
          if (i === best) continue;
          pts[i] = pts[i].map((v, d) => pts[best][d] + 0.5 * (v - pts[best][d]));
          vals[i] = value(pts[i]);
        }
      }
    }
  }
  function replace(i: number, p: number[], v: number): void {
    pts[i] = p;
    vals[i] = v;
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (vals[i] < vals[bi]) bi = i;
  return { x: pts[bi], value: vals[bi], iterations: it, evaluations, converged };
}

function spread(pts: number[][], best: number): number {
  let m = 0;
  for (const p of pts) for (let d = 0; d < p.length; d++) m = Math.max(m, Math.abs(p[d] - pts[best][d]));
  return m;
}

/** A function's value and gradient at one point. */
export type ValueAndGradient = (x: number[]) => { value: number; gradient: number[] };

/**
 * Minimise a smooth function with BFGS and a backtracking (Armijo) line search.
 * Takes far fewer evaluations than Nelder–Mead when the gradient is available; falls back
 * to Nelder–Mead from the best point found if the line search cannot make progress.
 * @example minimizeBfgs(([x]) => ({ value: (x - 3) ** 2, gradient: [2 * (x - 3)] }), [0]).x // ≈ [3]
 */
export function minimizeBfgs(fg: ValueAndGradient, start: number[], options: { gTol?: number; maxIterations?: number } = {}): MinimizeResult {
  const { gTol = 1e-8, maxIterations = 200 } = options;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    return fg(x);
  };
  let x = start.slice();
  let cur = evaluate(x);
  if (!Number.isFinite(cur.value)) return minimize((p) => fg(p).value, start);
  // Inverse Hessian approximation, starting from the identity.
  let H = identity(n);
  let it = 0;
  let converged = false;
  for (; it < maxIterations; it++) {
    const g = cur.gradient;
    if (Math.max(...g.map(Math.abs)) <= gTol) {
      converged = true;
      break;
    }
    let d = H.map((row) => -dot(row, g));
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      H = identity(n);
      d = g.map((v) => -v);
      slope = dot(g, d);
    }
    // Long first steps in log-parameter space overflow the likelihood; cap them.
    const len = Math.sqrt(dot(d, d));
    let step = len > 2 ? 2 / len : 1;
    let next: { value: number; gradient: number[] } | null = null;
    let xn: number[] = x;
    for (let k = 0; k < 40; k++) {
      xn = x.map((v, i) => v + step * d[i]);
      const c = evaluate(xn);
      if (Number.isFinite(c.value) && c.value <= cur.value + 1e-4 * step * slope && c.gradient.every(Number.isFinite)) {
        next = c;
        break;
      }
      step /= 2;
    }
    if (!next) break;
    const s = xn.map((v, i) => v - x[i]);
    const y = next.gradient.map((v, i) => v - g[i]);
    const sy = dot(s, y);
    const improvement = cur.value - next.value;
    x = xn;
    cur = next;
    if (sy > 1e-12) {
      // BFGS update of the inverse Hessian: H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ.
      const rho = 1 / sy;
      const Hy = H.map((row) => dot(row, y));
      const yHy = dot(y, Hy);
      H = H.map((row, i) => row.map((h, j) => h - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j]));
    }
    if (improvement >= 0 && improvement < 1e-15 * Math.max(1, Math.abs(cur.value))) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    // Polish with the simplex method from where BFGS stopped.
    const nm = minimize((p) => fg(p).value, x, { step: 0.05 });
    return { x: nm.x, value: nm.value, iterations: it + nm.iterations, evaluations: evaluations + nm.evaluations, converged: nm.converged };
  }
  return { x, value: cur.value, iterations: it, evaluations, converged };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
