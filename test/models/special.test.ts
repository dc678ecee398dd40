import { describe, expect, it } from 'vitest';
import { digamma, logAddExp, logGamma } from '../../collector/models/special.ts';
import { hyp2f1 } from '../../collector/models/hyp2f1.ts';
import { minimize, minimizeBfgs } from '../../collector/models/optimize.ts';

// Reference values from mpmath 1.3 at 30 digits.
describe('logGamma', () => {
  it.each([
    [0.1, 2.252712651734205902],
    [0.5, 0.57236494292470008707],
    [1, 0],
    [1.5, -0.12078223763524522235],
    [3.7, 1.4280723266653881292],
    [10, 12.801827480081469611],
    [100.5, 361.43554046777762156],
    [1e4, 82099.717496442377273],
  ])('lnΓ(%d)', (x, want) => {
    expect(logGamma(x)).toBeCloseTo(want, 12);
  });
});

describe('digamma', () => {
  it.each([
    [0.1, -10.423754940411076],
    [0.5, -1.9635100260214235],
    [1, -0.57721566490153286],
    [3.7, 1.1671535393615114],
    [10, 2.2517525890667211],
    [100.5, 4.6051743525818452],
  ])('ψ(%d)', (x, want) => {
    expect(digamma(x)).toBeCloseTo(want, 12);
  });
});

describe('logAddExp', () => {
  it('adds huge and tiny terms without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-Infinity, -3)).toBe(-3);
    expect(logAddExp(-1000, 0)).toBe(0);
  });
});

describe('hyp2f1', () => {
  it.each([
    [1, 1, 2, 0.5, 1.3862943611198906188],
    [0.5, 0.5, 1.5, 0.25, 1.0471975511965977462],
    [2.5, 1.3, 0.7, 0.3, 4.3798316439110874614],
    [0.243, 2.426, 2.219, 0.9, 1.9476311698186018571],
    [3.2, 4.1, 1.5, 0.95, 154150935.50484901323],
    [1.5, 2.5, 4.5, -3.0, 0.26107036250650641124],
    [-3, 2, 1.5, 0.7, -0.0752],
    [0.5, 1, 1.5, -0.99, 0.7868296229803289175],
    [10.5, 12.2, 25.3, 0.999, 68188.778937874897517],
    [30.24, 32.4, 31.2, 0.8, 9.1761585380391714042e21],
  ])('₂F₁(%d, %d; %d; %d) against mpmath', (a, b, c, z, want) => {
    expect(hyp2f1(a, b, c, z) / want).toBeCloseTo(1, 11);
  });

  it('matches closed forms', () => {
    for (const z of [0.1, 0.6, 0.95]) expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 12);
    for (const z of [0.3, 0.9]) expect(hyp2f1(0.5, 1, 1.5, -(z * z))).toBeCloseTo(Math.atan(z) / z, 12);
    expect(hyp2f1(2.3, 1.7, 1.7, 0.4)).toBeCloseTo(Math.pow(0.6, -2.3), 12);
  });

  it('uses Gauss’s sum at z = 1 and refuses where it diverges', () => {
    // ₂F₁(1, 1; 3; 1) = Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
    expect(hyp2f1(1, 1, 3, 1)).toBeCloseTo(2, 12);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(RangeError);
  });
});

describe('optimizers', () => {
  const rosen = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  it('Nelder–Mead finds the Rosenbrock minimum', () => {
    const r = minimize(rosen, [-1.2, 1], { xTol: 1e-10, fTol: 1e-16 });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });
  it('BFGS finds it with far fewer evaluations', () => {
    const r = minimizeBfgs(([x, y]) => ({ value: rosen([x, y]), gradient: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)] }), [-1.2, 1]);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.evaluations).toBeLessThan(200);
  });
});
