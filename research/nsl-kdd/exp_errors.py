"""Post-hoc error analysis of the adopted model (plain, threshold chosen on family folds = 1.2589e-4):
which test rows are still wrong. Analysis only, nothing here feeds back into a choice."""
import collections
import numpy as np
from common import load_train, load_test_sets, is_attack
from exp_xgb import make

x, labels, enc = load_train()
tests = load_test_sets(enc)
scores = make()(x, is_attack(labels), labels, None, tests=tests)
for name, (xt, lt) in tests.items():
    s = scores[name]; flagged = s >= 1.2589e-4
    normal = lt == 'normal'
    print(f'{name}: normals flagged {flagged[normal].mean():.3f} ({flagged[normal].sum()} of {normal.sum()}), attacks missed {(~flagged[~normal]).sum()} of {(~normal).sum()}')
    missed = collections.Counter(lt[~normal & ~flagged])
    total = collections.Counter(lt[~normal])
    print('  missed by type:', ', '.join(f'{t} {c}/{total[t]}' for t, c in missed.most_common(10)))
