"""Experiment 0: XGBoost hist defaults-ish (100 trees, depth 6, eta 0.3, 256 bins), threshold 0.5."""
import time, json
import numpy as np, xgboost as xgb
from common import load_train, load_test_sets, is_attack, accuracy

x, labels, enc = load_train()
y = is_attack(labels)
tests = load_test_sets(enc)
for depth in (6,):
    t = time.time()
    m = xgb.XGBClassifier(n_estimators=100, max_depth=depth, learning_rate=0.3, tree_method='hist', max_bin=256, n_jobs=2)
    m.fit(x, y)
    out = {'depth': depth, 'train_s': round(time.time() - t, 2)}
    for name, (xt, lt) in tests.items():
        out[name] = round(accuracy(is_attack(lt), m.predict_proba(xt)[:, 1]), 4)
    print(json.dumps(out))
