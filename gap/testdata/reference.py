# Independent reference values for the gap package tests, computed with
# mpmath (arbitrary precision; no code shared with gonum or the Go package).
# Run: python3 reference.py   (needs only mpmath, e.g. pip install mpmath)
from mpmath import mp, mpf, sqrt, betainc, erfc, erfinv, findroot

mp.dps = 30
Z = sqrt(2) * erfinv(mpf("0.95"))  # 97.5% normal quantile


def wilson(r, n, z=Z):
    # Newcombe (1998), method 3, closed form:
    # (2r + z² ± z·sqrt(z² + 4r(1 − r/n))) / (2(n + z²))
    r, n = mpf(r), mpf(n)
    a, b, c = 2 * r + z**2, z * sqrt(z**2 + 4 * r * (1 - r / n)), 2 * (n + z**2)
    return (a - b) / c, (a + b) / c


def tcdf(t, df):
    # Student t CDF through the regularized incomplete beta function.
    t, df = mpf(t), mpf(df)
    tail = betainc(df / 2, mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return 1 - tail if t > 0 else tail


def tq(p, df):
    return findroot(lambda t: tcdf(t, df) - p, 2)


def tinterval(xs):
    xs = [mpf(str(x)) for x in xs]
    n = len(xs)
    m = sum(xs) / n
    v = sum((x - m) ** 2 for x in xs) / (n - 1)
    h = tq(mpf("0.975"), n - 1) * sqrt(v / n)
    return m, v, m - h, m + h


def wls(x, y, w):
    # Weighted least squares by the normal equations in matrix form
    # (X'WX) b = X'Wy, solved with mpmath's own linear algebra.
    from mpmath import matrix, lu_solve
    k = len(x)
    X = matrix([[1, xi] for xi in x])
    W = matrix(k, k)
    for i in range(k):
        W[i, i] = w[i]
    Y = matrix([mpf(str(v)) for v in y])
    A = X.T * W * X
    b = lu_solve(A, X.T * W * Y)
    r = Y - X * b
    s2 = (r.T * W * r)[0] / (k - 2)
    cov = s2 * A**-1
    t = b[1] / sqrt(cov[1, 1])
    p = 2 * (1 - tcdf(abs(t), k - 2))
    return b[1], t, p


def wls_ar1(x, y, w, rho):
    # The weighted least squares slope with errors correlated as
    # rho^|x_i - x_j|, by the general matrix formulas (not the scalar sums
    # of the Go code): with Z = W^(1/2) X, the slope's covariance is the
    # sandwich sigma^2 (Z'Z)^-1 Z'CZ (Z'Z)^-1, sigma^2 the weighted residual
    # sum of squares over tr((I - H) C), H = Z (Z'Z)^-1 Z'.
    from mpmath import matrix, lu_solve
    k = len(x)
    rho = mpf(str(rho))
    s = [sqrt(mpf(str(v))) for v in w]
    Z = matrix([[s[i], s[i] * x[i]] for i in range(k)])
    Y = matrix([s[i] * mpf(str(y[i])) for i in range(k)])
    C = matrix(k, k)
    for i in range(k):
        for j in range(k):
            C[i, j] = rho ** abs(x[i] - x[j])
    A = Z.T * Z
    Ainv = A**-1
    b = Ainv * (Z.T * Y)
    r = Y - Z * b
    H = Z * Ainv * Z.T
    tr = sum((H * C)[i, i] for i in range(k))
    s2 = (r.T * r)[0] / (k - tr)
    cov = s2 * Ainv * (Z.T * C * Z) * Ainv
    t = b[1] / sqrt(cov[1, 1])
    p = 2 * (1 - tcdf(abs(t), k - 2))
    return b[1], t, p


def ca(met, n, scores=None):
    # Cochran–Armitage trend statistic (Armitage 1955), two-sided normal p.
    scores = scores or list(range(len(met)))
    N = sum(n)
    pbar = mpf(sum(met)) / N
    xbar = sum(mpf(ni) * s for ni, s in zip(n, scores)) / N
    T = sum((mpf(m) - ni * pbar) * (s - xbar) for m, ni, s in zip(met, n, scores))
    V = pbar * (1 - pbar) * sum(ni * (s - xbar) ** 2 for ni, s in zip(n, scores))
    z = T / sqrt(V)
    return z, erfc(abs(z) / sqrt(2))


def show(name, *vals):
    print(name, " ".join(mp.nstr(v, 12) for v in vals))


if __name__ == "__main__":
    for r, n in [(81, 263), (15, 148), (0, 20), (1, 29), (29, 29), (18, 20), (10, 20), (20, 20), (19, 20), (1, 1), (0, 1), (7, 10), (17, 20)]:
        show(f"wilson {r}/{n}", *wilson(r, n))
    for df in [3, 9, 29]:
        show(f"t0.975 df={df}", tq(mpf("0.975"), df))
    show("sleep differences", *tinterval([1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]))
    show("mean week 1", *tinterval([3, 4, 4, 5]))
    show("mean week 2", *tinterval([4, 5, 5, 6]))
    show("mean week 3", *tinterval([6, 7, 7, 8]))
    show("wls equal weights", *wls([0, 1, 2, 3, 4], [0.10, 0.13, 0.12, 0.17, 0.16], [1, 1, 1, 1, 1]))
    show("wls weighted", *wls([0, 1, 2, 3], [0.02, 0.03, 0.05, 0.05], [1000, 2000, 2000, 1000]))
    show("ca R smokers", *ca([83, 90, 129, 70], [86, 93, 136, 82]))
    pres, absent = [48, 38, 5, 1, 1], [17066, 14464, 788, 126, 37]
    n = [a + b for a, b in zip(pres, absent)]
    show("ca Agresti index", *ca(pres, n))
    show("ca Agresti scores", *ca(pres, n, [0, 0.5, 1.5, 4, 7]))
    # A flat but overdispersed series: 12 weeks of 2000, 93% ± about 1 point.
    met = [1884, 1840, 1890, 1852, 1876, 1832, 1866, 1848, 1838, 1864, 1836, 1844]
    show("overdispersed ca", *ca(met, [2000] * 12))
    show("overdispersed wls", *wls(list(range(12)), [mpf("0.95") - mpf(m) / 2000 for m in met], [2000] * 12))
    # The same kind of series with a missing week, unequal weeks and errors
    # correlated 0.4 from one week to the next.
    x = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11]
    met = [1710, 1840, 2090, 1852, 1690, 2030, 1866, 1848, 1750, 1864, 1900]
    n = [1800, 2000, 2200, 2000, 1800, 2200, 2000, 2000, 1900, 2000, 2050]
    y = [mpf("0.95") - mpf(m) / ni for m, ni in zip(met, n)]
    show("ar1 wls rho=0", *wls_ar1(x, y, n, 0))
    show("ar1 wls rho=0.4", *wls_ar1(x, y, n, "0.4"))
