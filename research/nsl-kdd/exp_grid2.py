"""Experiment grid 2: both novelty schemes (leave-family-out, leave-type-group-out); selection score = mean of the two."""
import json
import numpy as np, xgboost as xgb
from harness import run
from exp_xgb import make

configs = {
    'n100 d6 eta0.3': make(),
    'n100 d6 eta0.3 cs0.3': make(colsample=0.3),
    'n100 d6 eta0.3 cs0.5': make(colsample=0.5),
    'n100 d4 eta0.3 cs0.3': make(depth=4, colsample=0.3),
    'n100 d8 eta0.3 cs0.3': make(depth=8, colsample=0.3),
    'n300 d6 eta0.1 cs0.3': make(n=300, eta=0.1, colsample=0.3),
    'n100 d6 eta0.3 cs0.3 mcw5': make(colsample=0.3, min_child=5),
    'n100 d3 eta0.3': make(depth=3),
}
for name, fp in configs.items():
    a = run(name, fp, test=False, scheme='family')
    b = run(name + ' [type]', fp, test=False, scheme='type')
    print('SUMMARY', name, round((a['val_bal'] + b['val_bal']) / 2, 4), a['val_threshold'], b['val_threshold'], flush=True)
