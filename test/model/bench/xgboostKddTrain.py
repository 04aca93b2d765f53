"""Reference timing: python3-xgboost tree_method='hist' on NSL-KDD KDDTrain+.
Multiclass on the fine labels (softprob), or 'binary' = normal vs attack (logistic).
Categorical protocol/service/flag become integer codes in order of first appearance, as our loader does.
Usage: /usr/bin/python3 test/model/bench/xgboostKddTrain.py [trees=50] [depth=6] [eta=0.3] [threads=1] [multiclass|binary]"""
import gzip, sys, time
import numpy as np
import xgboost as xgb

args = sys.argv[1:]
trees = int(args[0]) if len(args) > 0 else 50
depth = int(args[1]) if len(args) > 1 else 6
eta = float(args[2]) if len(args) > 2 else 0.3
threads = int(args[3]) if len(args) > 3 else 1
binary = len(args) > 4 and args[4] == 'binary'
path = '/work/shared/datasets/nsl-kdd/KDDTrain+.txt.gz'

rows, labels = [], []
codes = [dict(), dict(), dict()]
label_codes = {}
with gzip.open(path, 'rt') as f:
    for line in f:
        p = line.rstrip('\n').split(',')
        row = []
        for j in range(41):
            if j in (1, 2, 3):
                d = codes[j - 1]
                row.append(d.setdefault(p[j], len(d)))
            else:
                row.append(float(p[j]))
        rows.append(row)
        labels.append(label_codes.setdefault(p[41], len(label_codes)))
X = np.asarray(rows, dtype=np.float32)
y = np.asarray(labels)
params = dict(tree_method='hist', max_depth=depth, eta=eta, max_bin=256, nthread=threads,
              reg_lambda=1.0, min_child_weight=1.0, verbosity=0)
if binary:
    y = (y != label_codes['normal']).astype(np.int32)
    params['objective'] = 'binary:logistic'
else:
    params['objective'] = 'multi:softprob'
    params['num_class'] = len(label_codes)
t0 = time.time(); c0 = time.process_time()
d = xgb.DMatrix(X, label=y, nthread=threads)
t1 = time.time(); c1 = time.process_time()
bst = xgb.train(params, d, num_boost_round=trees)
t2 = time.time(); c2 = time.process_time()
print(f'xgboost {xgb.__version__} {params["objective"]} rows={len(y)} trees={trees} depth={depth} eta={eta} threads={threads}')
print(f'dmatrix {t1-t0:.3f}s, train wall {t2-t1:.3f}s cpu {c2-c1:.3f}s, dmatrix+train wall {t2-t0:.3f}s cpu {c2-c0:.3f}s')
