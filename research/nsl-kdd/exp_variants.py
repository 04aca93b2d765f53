"""Variants beyond the plain binary model: multiclass on fine labels / on families with
score = 1 - P(normal); class weights; per-tree column sampling (what our trainer offers)."""
import numpy as np, xgboost as xgb
from common import FAMILY
from harness import run
from exp_xgb import make

def multiclass(kind, n=100, depth=6, eta=0.3):
    def fp(xtr, ytr, ltr, xva, tests=None):
        names = np.array([FAMILY.get(l, 'normal') for l in ltr]) if kind == 'family' else ltr
        classes = sorted(set(names)); idx = {c: i for i, c in enumerate(classes)}
        yk = np.array([idx[c] for c in names])
        m = xgb.XGBClassifier(n_estimators=n, max_depth=depth, learning_rate=eta, tree_method='hist', max_bin=256, n_jobs=2)
        m.fit(xtr, yk)
        k = idx['normal']
        if tests is None: return 1 - m.predict_proba(xva)[:, k]
        return {t: 1 - m.predict_proba(v[0])[:, k] for t, v in tests.items()}
    return fp

def bytree(cs):
    return make(extra={'colsample_bytree': cs})

for name, fp in [('multiclass families, 1-P(normal)', multiclass('family')),
                 ('multiclass fine labels, 1-P(normal)', multiclass('fine')),
                 ('binary balanced weights (spw=normal/attack=1.15)', make(spw=67343 / 58630)),
                 ('binary colsample_bytree 0.5', bytree(0.5))]:
    run(name, fp, test=False, scheme='family')
    run(name + ' [type]', fp, test=False, scheme='type')
