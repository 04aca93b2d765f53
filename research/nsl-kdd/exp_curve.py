"""Threshold sensitivity of the plain model (n100 d6 eta0.3): validation curve (used for selection)
and, printed separately, the test curve (post-hoc only, never used to choose)."""
import numpy as np, xgboost as xgb
from harness import fold_scores, balanced, THRESHOLDS, data
from common import load_test_sets, is_attack, accuracy
from exp_xgb import make

fp = make()
fam = fold_scores(fp, 'family')
typ = fold_scores(fp, 'type')
x, labels, enc = data()
tests = load_test_sets(enc)
s = fp(x, is_attack(labels), labels, None, tests=tests)
print('threshold  val_bal_family  val_bal_type  | post-hoc: KDDTest+  KDDTest-21')
for t in THRESHOLDS:
    vf = np.mean([np.mean(balanced(y, sc, t)) for _, y, sc in fam])
    vt = np.mean([np.mean(balanced(y, sc, t)) for _, y, sc in typ])
    a = accuracy(is_attack(tests['KDDTest+'][1]), s['KDDTest+'], t)
    b = accuracy(is_attack(tests['KDDTest-21'][1]), s['KDDTest-21'], t)
    print(f'{t:10.2e}  {vf:.4f}  {vt:.4f}  | {a:.4f}  {b:.4f}')
