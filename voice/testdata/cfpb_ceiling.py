# An upper bound for the zero-shot mapping on CFPB complaint narratives,
# from outside saydo: supervised linear text classifiers (scikit-learn),
# labels visible, over the same eight promises and "none" as
# voice/promises_eval_test.go (cfpbGold) and the same rows as
# voice/zeroshot_real_test.go (cfpbSplits: narratives, even rows dev,
# odd rows held out). Macro-F1 is over the eight promises, as there.
# See docs/voice.md ("Zero-shot mapping, labels hidden").
#
# Run: python3 voice/testdata/cfpb_ceiling.py   (needs scikit-learn; on
# Debian: apt-get install python3-sklearn). SAYDO_DATA names the shared
# data folder (default: ../shared/data beside the repository).
import csv
import os

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

GOLD = {
    "Incorrect information on your report": "accurate-credit-reports",
    "Problem with a credit reporting company's investigation into an existing problem": "disputes-answered-in-30-days",
    "Attempts to collect debt not owed": "collect-only-debts-owed",
    "Cont'd attempts collect debt not owed": "collect-only-debts-owed",
    "Communication tactics": "respectful-collection",
    "Took or threatened to take negative or legal action": "respectful-collection",
    "Written notification about debt": "respectful-collection",
    "False statements or representation": "respectful-collection",
    "Improper use of your report": "report-used-with-permission",
    "Trouble during payment process": "payments-applied-correctly",
    "Problem when making payments": "payments-applied-correctly",
    "Struggling to pay mortgage": "help-when-struggling",
    "Struggling to pay your loan": "help-when-struggling",
    "Struggling to repay your loan": "help-when-struggling",
    "Fees or interest": "no-surprise-fees",
    "Charged fees or interest you didn't expect": "no-surprise-fees",
    "Unexpected or other fees": "no-surprise-fees",
}
PROMISES = sorted(set(GOLD.values()))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.environ.get("SAYDO_DATA", os.path.join(here, "..", "..", "..", "shared", "data"))
    path = os.path.join(data, "cfpb_consumer_complaints", "complaints_sample.csv")
    dev, held = [], []
    with open(path, newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            text = row["Consumer complaint narrative"].strip()
            if text:
                (dev if i % 2 == 0 else held).append((text, GOLD.get(row["Issue"], "none")))
    print("dev (even rows) %d, held out (odd rows) %d" % (len(dev), len(held)))

    def macro(y, p):
        return f1_score(y, p, labels=PROMISES, average="macro", zero_division=0)

    def tfidf():
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)

    models = {}
    for c in (0.1, 0.3, 1, 3):
        models["linear SVM, balanced, C=%g" % c] = lambda c=c: make_pipeline(tfidf(), LinearSVC(C=c, class_weight="balanced"))
    for c in (1, 10, 100):
        models["logistic, balanced, C=%g" % c] = lambda c=c: make_pipeline(
            tfidf(), LogisticRegression(C=c, class_weight="balanced", max_iter=2000))
    for a in (0.1, 0.3, 1):
        models["complement NB, alpha=%g" % a] = lambda a=a: make_pipeline(tfidf(), ComplementNB(alpha=a))

    xd, yd = [t for t, _ in dev], np.array([g for _, g in dev])
    xh, yh = [t for t, _ in held], np.array([g for _, g in held])
    xa, ya = xd + xh, np.concatenate([yd, yh])
    folds = StratifiedKFold(5, shuffle=True, random_state=1)
    best = None
    for name, make in models.items():
        f_dev = macro(yd, cross_val_predict(make(), xd, yd, cv=folds))
        f_all = macro(ya, cross_val_predict(make(), xa, ya, cv=folds))
        print("tf-idf words and pairs + %-28s 5-fold CV macro-F1: dev %.3f, all rows %.3f" % (name, f_dev, f_all))
        if best is None or f_dev > best[1]:
            best = (name, f_dev)
    model = models[best[0]]().fit(xd, yd)
    print("best in dev CV (%s), trained on dev, on held out: macro-F1 %.3f" % (best[0], macro(yh, model.predict(xh))))


if __name__ == "__main__":
    main()
