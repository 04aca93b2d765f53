"""Operating points with a false-alarm budget: the threshold maximising mean balanced accuracy over
the family folds subject to mean held-out-normal false-positive rate <= cap (Neyman-Pearson style).
Caps and thresholds chosen on KDDTrain+ folds; test figures measured afterwards."""
import json
import numpy as np
from harness import fold_scores, select_threshold, data
from common import load_test_sets, is_attack, accuracy
from exp_xgb import make

fp = make()
folds = fold_scores(fp, 'family')
x, labels, enc = data()
tests = load_test_sets(enc)
s = fp(x, is_attack(labels), labels, None, tests=tests)
for cap in (None, 0.20, 0.10, 0.05, 0.02, 0.01):
    sel = select_threshold(folds, fpr_cap=cap)
    rec = {'fpr_cap': cap, 'threshold': sel[1], 'val_bal': round(sel[0], 4), 'val_normal_fpr': round(1 - sel[2], 4), 'val_novel_tpr': round(sel[3], 4)}
    for name, (xt, lt) in tests.items():
        y = is_attack(lt); flagged = s[name] >= sel[1]
        rec[name] = round(accuracy(y, s[name], sel[1]), 4)
        rec[name + ' normals flagged'] = round(float(flagged[y == 0].mean()), 4)
    print(json.dumps(rec), flush=True)
