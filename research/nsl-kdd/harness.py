"""Novelty validation harness: score a recipe on leave-family-out folds of KDDTrain+, pick the
threshold there, and only then (optionally) score the test files with that threshold."""
import json, sys, time
import numpy as np
from common import load_train, load_test_sets, is_attack, family_folds, type_folds, accuracy

# Log-spaced: the selected thresholds sit far below 0.5, where probabilities span decades.
THRESHOLDS = np.unique(np.round(np.concatenate([np.logspace(-6, -1, 51), np.arange(0.1, 0.951, 0.05)]), 8))

_cache = {}
def data():
    if 'd' not in _cache:
        x, labels, enc = load_train()
        _cache['d'] = (x, labels, enc)
    return _cache['d']

def fold_scores(fit_predict, scheme='family'):
    x, labels, _ = data()
    y = is_attack(labels)
    folds = family_folds(labels) if scheme == 'family' else type_folds(labels)
    out = []
    for name, tr, va in folds:
        s = fit_predict(x[tr], y[tr], labels[tr], x[va])
        out.append((name, y[va], s))
    return out

def balanced(y, s, t):
    pred = s >= t
    tnr = np.mean(~pred[y == 0]); tpr = np.mean(pred[y == 1])
    return tnr, tpr

def select_threshold(folds, fpr_cap=None):
    """Threshold maximising the mean over folds of balanced accuracy (TNR on held-out normals,
    TPR on the held-out family). Balanced, because the attack share of future traffic is unknown."""
    best = None
    for t in THRESHOLDS:
        vals = [balanced(y, s, t) for _, y, s in folds]
        tnr = np.mean([v[0] for v in vals]); tpr = np.mean([v[1] for v in vals])
        if fpr_cap is not None and 1 - tnr > fpr_cap: continue
        score = 0.5 * (tnr + tpr)
        if best is None or score > best[0]:
            best = (score, float(t), float(tnr), float(tpr), [round(v[1], 3) for v in vals])
    return best

def run(name, fit_predict, test=True, scheme='family', fixed_threshold=None):
    t0 = time.time()
    folds = fold_scores(fit_predict, scheme)
    sel = select_threshold(folds)
    at05 = [balanced(y, s, 0.5) for _, y, s in folds]
    rec = {'name': name, 'scheme': scheme, 'val_bal_at_0.5': round(float(np.mean([0.5 * (a + b) for a, b in at05])), 4),
           'val_tpr_by_fold_at_0.5': [round(b, 3) for a, b in at05],
           'val_threshold': sel[1], 'val_bal': round(sel[0], 4), 'val_tnr': round(sel[2], 4), 'val_tpr': round(sel[3], 4),
           'val_tpr_by_fold': sel[4]}
    if test:
        x, labels, enc = data()
        tests = load_test_sets(enc)
        s_by = fit_predict(x, is_attack(labels), labels, None, tests=tests)
        for tn, s in s_by.items():
            yt = is_attack(tests[tn][1])
            rec[tn + '@0.5'] = round(accuracy(yt, s, 0.5), 4)
            rec[tn + '@val_t'] = round(accuracy(yt, s, sel[1]), 4)
    rec['secs'] = round(time.time() - t0, 1)
    print(json.dumps(rec), flush=True)
    with open('experiments.jsonl', 'a') as f:
        f.write(json.dumps(rec) + '\n')
    return rec
