"""Reference timing: python3-xgboost tree_method='hist' on NSL-KDD KDDTrain+ (multiclass, 23 labels).
Categorical protocol/service/flag become integer codes in order of first appearance, as our loader does.
Usage: /usr/bin/python3 test/model/bench/xgboostKddTrain.py [trees] [depth] [learning_rate] [threads]"""
import gzip, sys, time
import numpy as np
import xgboost as xgb

path = sys.argv[5] if len(sys.argv) > 5 else '/work/shared/datasets/nsl-kdd/KDDTrain+.txt.gz'
trees = int(sys.argv[1]) if len(sys.argv) > 1 else 50
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 6
eta = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
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
objective = 'multi:softprob'
t0 = time.time()
d = xgb.DMatrix(X, label=y, nthread=threads)
t1 = time.time(); c1 = time.process_time()
params = dict(tree_method='hist', max_depth=depth, eta=eta, max_bin=256, objective=objective,
              num_class=len(label_codes), nthread=threads, reg_lambda=1.0, min_child_weight=1.0, verbosity=0)
bst = xgb.train(params, d, num_boost_round=trees)
t2 = time.time(); c2 = time.process_time()
print(f'xgboost {xgb.__version__} rows={len(y)} classes={len(label_codes)} trees={trees} depth={depth} eta={eta} threads={threads}')
print(f'dmatrix {t1-t0:.3f}s train wall {t2-t1:.3f}s cpu {c2-c1:.3f}s')
