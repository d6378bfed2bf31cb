#!/usr/bin/env python3
"""Reference values for the report arithmetic (src/reports), computed with SciPy and NumPy.

    python3 scripts/reference/stats_reference.py > test/fixtures/stats-reference.json

The unit specs compare Forewarn's TypeScript against this file, so `npm test` needs no Python.
Implementations used (independent of the TypeScript):
  gammaP            scipy.special.gammainc
  Poisson intervals scipy.stats.gamma.ppf (Garwood); clustered: the same on k/phi, scaled back by phi
  trend             Poisson log-likelihood with log(appearances) offset maximised over (b0, b1) by
                    scipy.optimize.minimize (BFGS); the profile over b1 by minimize_scalar on b0;
                    Pearson phi; F test by scipy.stats.f; interval ends by scipy.optimize.brentq
  mitigations       NumPy from the published formulas (direct standardisation; Agresti-Caffo interval:
                    adjusted proportions (k+1)/(n+2), delta-method variance); CMH statistic with continuity correction and
                    scipy.stats.chi2.sf
"""
import json
import math

import numpy as np
from scipy import optimize, special, stats

B_MAX = 10.0


def gamma_cases():
    cases = [(1, 1), (2, 2), (5, 20), (0.5, 0.1), (3, 2.5), (100.5, 120), (1000, 1000), (2000, 1900),
             (1e4, 1e4), (1e4, 1.01e4), (5e5, 5e5), (1e6, 1e6 + 1000)]
    return [{"a": a, "x": x, "p": float(special.gammainc(a, x))} for a, x in cases]


def rate_cases():
    out = []
    for k, n, phi in [(0, 10, 1), (1, 1, 1), (2, 1, 1), (5, 10, 1), (10, 40, 1), (100, 100, 1), (1000, 500, 1),
                      (10000, 20000, 1), (2, 1, 2), (12, 20, 3.5), (9, 30, 1.8), (500, 1000, 4)]:
        ke = k / phi
        low = 0.0 if k == 0 else float(stats.gamma.ppf(0.025, ke)) * phi / n
        high = float(stats.gamma.ppf(0.975, ke + 1)) * phi / n
        out.append({"events": k, "exposure": n, "dispersion": phi, "low": low, "high": high})
    return out


def negloglik(b, t, n, y):
    eta = np.log(n) + b[0] + b[1] * t
    return float(np.sum(np.exp(eta) - y * eta))


def deviance(mu, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2 * np.sum(term - (y - mu)))


def profile_dev(b1, t, n, y):
    res = optimize.minimize_scalar(lambda b0: negloglik([b0, b1], t, n, y), bounds=(-60, 60), method="bounded",
                                   options={"xatol": 1e-12})
    mu = n * np.exp(res.x + b1 * t)
    return deviance(mu, y)


def trend_case(name, pairs):
    n = np.array([p[0] for p in pairs], float)
    y = np.array([p[1] for p in pairs], float)
    t = np.arange(len(pairs), dtype=float)
    keep = n > 0
    n, y, t = n[keep], y[keep], t[keep]
    df = len(y) - 2
    # Boundary: every incident in the last (first) month -> slope +inf (-inf).
    if y[:-1].sum() == 0:
        b1 = B_MAX
        slope = "inf"
    elif y[1:].sum() == 0:
        b1 = -B_MAX
        slope = "-inf"
    else:
        b0 = math.log(y.sum() / n.sum())
        res = optimize.minimize(lambda b: negloglik(b, t, n, y), [b0, 0.0], method="BFGS", options={"gtol": 1e-10})
        b1 = float(res.x[1])
        slope = b1
    dmin = profile_dev(b1, t, n, y)
    b0 = optimize.minimize_scalar(lambda c: negloglik([c, b1], t, n, y), bounds=(-60, 60), method="bounded",
                                  options={"xatol": 1e-12}).x
    mu = n * np.exp(b0 + b1 * t)
    x2 = float(np.sum((y - mu) ** 2 / mu))
    phi = x2 / df
    scale = max(1.0, phi)
    f0 = (profile_dev(0.0, t, n, y) - dmin) / scale
    p = float(stats.f.sf(f0, 1, df))
    crit = float(stats.f.ppf(0.95, 1, df))
    g = lambda b: (profile_dev(b, t, n, y) - dmin) / scale - crit
    low = float(optimize.brentq(g, -B_MAX, b1 - 1e-9, xtol=1e-12)) if g(-B_MAX) > 0 else "-inf"
    high = float(optimize.brentq(g, b1 + 1e-9, B_MAX, xtol=1e-12)) if g(B_MAX) > 0 else "inf"
    return {"name": name, "series": pairs, "slope": slope, "dispersion": phi, "p": p, "low": low, "high": high}


def trend_cases():
    return [
        trend_case("issue example: noise 8x Poisson", [[20, 0], [20, 12], [20, 1], [20, 10], [20, 0], [20, 14]]),
        trend_case("clear rise", [[20, 1], [20, 2], [20, 4], [20, 6], [20, 9], [20, 14]]),
        trend_case("flat noise", [[20, 4], [20, 6], [20, 3], [20, 5], [20, 6], [20, 4]]),
        trend_case("sudden onset", [[10, 0], [10, 0], [10, 0], [10, 0], [10, 0], [10, 6]]),
        trend_case("growing exposure, same counts", [[10, 8], [20, 8], [40, 8], [80, 8]]),
        trend_case("twelve months, uneven exposure",
                   [[12, 2], [15, 3], [9, 1], [20, 5], [18, 2], [6, 0], [4, 1], [22, 6], [25, 7], [19, 4], [30, 9], [28, 8]]),
    ]


def strat(strata):
    """strata: list of (n1, k1, n0, k0); weights n1 over strata where both arms exist."""
    s = [x for x in strata if x[0] > 0 and x[2] > 0]
    n1 = np.array([x[0] for x in s], float)
    k1 = np.array([x[1] for x in s], float)
    n0 = np.array([x[2] for x in s], float)
    k0 = np.array([x[3] for x in s], float)
    w = n1 / n1.sum()
    d = float(np.sum(w * (k1 / n1 - k0 / n0)))
    a1 = (k1 + 1) / (n1 + 2)
    a0 = (k0 + 1) / (n0 + 2)
    dt = float(np.sum(w * (a1 - a0)))
    se = math.sqrt(float(np.sum(w ** 2 * (a1 * (1 - a1) / (n1 + 2) + a0 * (1 - a0) / (n0 + 2)))))
    z = float(stats.norm.ppf(0.975))
    N = n1 + n0
    m1 = k1 + k0
    o = k1.sum()
    e = float(np.sum(n1 * m1 / N))
    v = float(np.sum(n1 * n0 * m1 * (N - m1) / (N ** 2 * (N - 1))))
    dev = max(0.0, abs(o - e) - 0.5)
    return {
        "strata": strata,
        "difference": d,
        "low": max(-1.0, dt - z * se),
        "high": min(1.0, dt + z * se),
        "p": float(stats.chi2.sf(dev ** 2 / v, 1)),
        "usedN": float(n1.sum()),
        "notUsedEffective": float(1 / np.sum(w ** 2 / n0)),
    }


def mitigation_cases():
    return [
        strat([[10, 2, 10, 5], [2, 0, 30, 3]]),
        strat([[14, 3, 1, 1], [1, 0, 30, 3]]),
        strat([[40, 6, 60, 15], [25, 2, 80, 9], [0, 0, 12, 1]]),
    ]


print(json.dumps({
    "generator": "scripts/reference/stats_reference.py (SciPy %s, NumPy %s)" % (__import__("scipy").__version__, np.__version__),
    "gammaP": gamma_cases(),
    "rates": rate_cases(),
    "trends": trend_cases(),
    "mitigations": mitigation_cases(),
}, indent=1))
