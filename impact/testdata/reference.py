# Independent reference values for the impact package tests, computed with
# mpmath (arbitrary precision; no code shared with gonum or the Go package).
# Run: python3 reference.py   (needs only mpmath)
from mpmath import mp, mpf, sqrt, erfc, erfinv, matrix, inverse, betainc, findroot

mp.dps = 30
Z = sqrt(2) * erfinv(mpf("0.95"))


def norm_two_sided(z):
    return erfc(abs(z) / sqrt(2))


def nps_diff(a, b):
    # a, b = (n, promoters, detractors). Each answer scores +1/0/-1; the
    # NPS is 100 x the mean score, its variance 100^2 (p + d - (p-d)^2)/n.
    def est(g):
        n, p, d = [mpf(v) for v in g]
        p, d = p / n, d / n
        return 100 * (p - d), 10**4 * (p + d - (p - d) ** 2) / n
    na, va = est(a)
    nb, vb = est(b)
    diff, se = na - nb, sqrt(va + vb)
    return diff, diff - Z * se, diff + Z * se, norm_two_sided(diff / se)


def wilson(r, n):
    r, n = mpf(r), mpf(n)
    a, b, c = 2 * r + Z**2, Z * sqrt(Z**2 + 4 * r * (1 - r / n)), 2 * (n + Z**2)
    return (a - b) / c, (a + b) / c


def newcombe10(x1, n1, x2, n2):
    p1, p2 = mpf(x1) / n1, mpf(x2) / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p1 - p2
    lo = d - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    pool = mpf(x1 + x2) / (n1 + n2)
    se = sqrt(pool * (1 - pool) * (mpf(1) / n1 + mpf(1) / n2))
    return d, lo, hi, (norm_two_sided(d / se) if se > 0 else mpf(1))


def tcdf(t, df):
    t, df = mpf(t), mpf(df)
    tail = betainc(df / 2, mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return 1 - tail if t > 0 else tail


def tq(p, df):
    return findroot(lambda t: tcdf(t, df) - p, 2)


def its(gaps, ns, t0, skip=()):
    # Segmented WLS: gap = b0 + b1 t + b2 D + b3 (t - t0) D, weights n.
    rows = [(i, g, n) for i, (g, n) in enumerate(zip(gaps, ns)) if i not in skip]
    k = len(rows)
    wm = sum(mpf(n) for _, _, n in rows) / k
    X = matrix(k, 4)
    W = matrix(k, k)
    y = matrix(k, 1)
    for r, (i, g, n) in enumerate(rows):
        D = 1 if i >= t0 else 0
        X[r, 0], X[r, 1], X[r, 2], X[r, 3] = 1, i, D, (i - t0) * D
        W[r, r] = mpf(n) / wm
        y[r] = mpf(g)
    XtW = X.T * W
    inv = inverse(XtW * X)
    b = inv * (XtW * y)
    res = y - X * b
    rss = sum(W[r, r] * res[r] ** 2 for r in range(k))
    s2 = rss / (k - 4)
    se = sqrt(s2 * inv[2, 2])
    df = k - 4
    q = tq(mpf("0.975"), df)
    t = b[2] / se
    p = 2 * (1 - tcdf(abs(t), df))
    return b[2], b[2] - q * se, b[2] + q * se, p, b[3], b[0] + b[1] * t0


def its_ar1(gaps, ns, t0, skip=()):
    # its() with errors correlated rho^|i - j|: rho is the lag-1
    # autocorrelation of the weighted residuals over consecutive periods,
    # r1 * k / pairs, solved back from E[r1] = rho - (p + (p+2) rho) / k
    # (p = 4), bounded to [0, 0.9]; the covariance is the sandwich
    # s2 (Z'Z)^-1 Z'CZ (Z'Z)^-1, Z = W^(1/2) X, s2 = rss / tr((I - H) C).
    rows = [(i, g, n) for i, (g, n) in enumerate(zip(gaps, ns)) if i not in skip]
    k = len(rows)
    wm = sum(mpf(n) for _, _, n in rows) / k
    Z = matrix(k, 4)
    y = matrix(k, 1)
    t = []
    for r, (i, g, n) in enumerate(rows):
        D = 1 if i >= t0 else 0
        s = sqrt(mpf(n) / wm)
        Z[r, 0], Z[r, 1], Z[r, 2], Z[r, 3] = s, s * i, s * D, s * (i - t0) * D
        y[r] = s * mpf(g)
        t.append(i)
    inv = inverse(Z.T * Z)
    b = inv * (Z.T * y)
    res = y - Z * b
    rss = sum(res[r] ** 2 for r in range(k))
    num = sum(res[r] * res[r - 1] for r in range(1, k) if t[r] - t[r - 1] == 1)
    pairs = sum(1 for r in range(1, k) if t[r] - t[r - 1] == 1)
    raw = num / rss * k / pairs
    rho = (raw + mpf(4) / k) / (1 - mpf(6) / k)
    rho = max(mpf(0), min(mpf("0.9"), rho))
    C = matrix(k, k)
    for i in range(k):
        for j in range(k):
            C[i, j] = rho ** abs(t[i] - t[j])
    H = Z * inv * Z.T
    trHC = sum((H * C)[i, i] for i in range(k))
    cov = rss / (k - trHC) * inv * (Z.T * C * Z) * inv
    se = sqrt(cov[2, 2])
    df = k - 4
    q = tq(mpf("0.975"), df)
    tt = b[2] / se
    p = 2 * (1 - tcdf(abs(tt), df))
    return rho, b[2], b[2] - q * se, b[2] + q * se, p


if __name__ == "__main__":
    for a, b in [((200, 60, 90), (800, 440, 80)), ((50, 10, 30), (60, 30, 10)), ((1000, 300, 300), (1000, 310, 290))]:
        print("nps", a, b, [mp.nstr(v, 12) for v in nps_diff(a, b)])
    for c in [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (0, 10, 0, 20), (10, 10, 0, 20), (120, 400, 45, 600)]:
        print("newcombe", c, [mp.nstr(v, 12) for v in newcombe10(*c)])
    gaps = ["0.20", "0.21", "0.19", "0.22", "0.21", "0.23", "0.20", "0.22", "0.10", "0.09", "0.11", "0.08", "0.10", "0.09", "0.07", "0.08"]
    ns = [500, 520, 480, 510, 530, 490, 505, 515, 500, 495, 510, 520, 480, 500, 505, 490]
    print("its drop", [mp.nstr(v, 12) for v in its(gaps, ns, 9, skip=(8,))])
    gaps2 = ["0.10", "0.12", "0.09", "0.11", "0.13", "0.10", "0.12", "0.11", "0.10", "0.12", "0.11", "0.09"]
    ns2 = [300, 310, 290, 305, 295, 300, 310, 290, 300, 305, 295, 300]
    print("its none", [mp.nstr(v, 12) for v in its(gaps2, ns2, 6)])
    # Thirty weeks whose misses run in streaks (a bad week follows a bad
    # week) and drop by about 4 points at week 15.
    gaps3 = ["0.12", "0.14", "0.15", "0.13", "0.11", "0.10", "0.12", "0.15", "0.16", "0.14",
             "0.12", "0.11", "0.13", "0.14", "0.12", "0.08", "0.07", "0.09", "0.11", "0.10",
             "0.08", "0.06", "0.07", "0.09", "0.10", "0.08", "0.07", "0.08", "0.10", "0.09"]
    ns3 = [400, 410, 390, 405, 395, 400, 410, 390, 400, 405, 395, 400, 410, 390, 400,
           405, 395, 400, 410, 390, 400, 405, 395, 400, 410, 390, 400, 405, 395, 400]
    print("its ar1 streaks", [mp.nstr(v, 12) for v in its_ar1(gaps3, ns3, 15)])
    print("its streaks independent", [mp.nstr(v, 12) for v in its(gaps3, ns3, 15)])


def poisson_tail(k, lam):
    # P(X >= k) for X ~ Poisson(lam): the journey-conflict spike test
    # (ledger.SpikeOf).
    from mpmath import exp, factorial
    lam = mpf(lam)
    return 1 - sum(exp(-lam) * lam**i / factorial(i) for i in range(k))

def nps_interval(n, promoters, detractors):
    # The NPS's 95% Wald interval from the trinomial variance (an answer
    # scores +1, 0 or -1), on the -100..100 scale (voice.Intervals).
    n, p, d = mpf(n), mpf(promoters) / n, mpf(detractors) / n
    nps = 100 * (p - d)
    se = 100 * sqrt((p + d - (p - d) ** 2) / n)
    return nps - Z * se, nps + Z * se


def t_interval_of(values):
    # Student's t 95% interval of a mean from the values themselves.
    xs = [mpf(v) for v in values]
    n = len(xs)
    m = sum(xs) / n
    v = sum((x - m) ** 2 for x in xs) / (n - 1)
    h = tq(mpf("0.975"), n - 1) * sqrt(v / n)
    return m - h, m + h


def spike_tail(count, before):
    # ledger.SpikeOf: the week's count against the m weeks before, counts
    # divided by the dispersion phi = max(1, sample variance / mean) of the
    # weeks before; P(X >= c) for X ~ Binomial(n, 1/(m+1)) with c = count/phi,
    # n = (count + max(sum, m))/phi, as the regularized incomplete beta
    # I_q(c, n - c + 1).
    from mpmath import betainc
    m = len(before)
    s = sum(before)
    mean = mpf(s) / m
    phi = mpf(1)
    if m > 1 and mean > 0:
        var = sum((mpf(b) - mean) ** 2 for b in before) / (m - 1)
        phi = max(mpf(1), var / mean)
    c = mpf(count) / phi
    n = (mpf(count) + max(mpf(s), mpf(m))) / phi
    return betainc(c, n - c + 1, 0, mpf(1) / (m + 1), regularized=True)

# voice.Intervals, for the counts of voice/tally_test.go:
# wilson(150, 200)            = 0.68565901688 0.804918319932
# nps_interval(120, 30, 60)   = -39.8352141295 -10.1647858705
# wilson(45, 80)              = 0.453411342969 0.665861390839
# t_interval_of([2, 5, 7, 3, 6, 6]) = 2.79659890998 6.87006775669
# spike_tail(25, [10, 12, 14, 12]) = 0.00311747932102
# spike_tail(18, [10, 12, 14, 12]) = 0.0959649712648
# spike_tail(5, [0, 0, 0, 0])      = 0.01958144
# spike_tail(6, [0, 0, 0, 0])      = 0.0063693824
# spike_tail(40, [10, 30, 12, 20]) = 0.0525300958495
# Before the ninth stop SpikeOf was a Poisson tail at the mean of the weeks
# before:
# poisson_tail(25, 12) = 0.000685633201388
# poisson_tail(18, 12) = 0.062966296774
# poisson_tail(5, 1)   = 0.00365984682734
