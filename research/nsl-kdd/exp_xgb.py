"""Experiment grid 1: plain binary XGBoost; vary depth/trees/eta/class weight/features; threshold chosen on leave-family-out."""
import sys
import numpy as np, xgboost as xgb
from common import FEATURES
from harness import run

def make(n=100, depth=6, eta=0.3, spw=1.0, drop=(), colsample=1.0, min_child=1.0, extra=None):
    keep = [j for j, f in enumerate(FEATURES) if f not in drop]
    def fp(xtr, ytr, ltr, xva, tests=None):
        m = xgb.XGBClassifier(n_estimators=n, max_depth=depth, learning_rate=eta, tree_method='hist', max_bin=256,
                              n_jobs=2, scale_pos_weight=spw, colsample_bynode=colsample, min_child_weight=min_child, **(extra or {}))
        m.fit(xtr[:, keep], ytr)
        if tests is None: return m.predict_proba(xva[:, keep])[:, 1]
        return {k: m.predict_proba(v[0][:, keep])[:, 1] for k, v in tests.items()}
    return fp

if __name__ == '__main__':
    which = sys.argv[1] if len(sys.argv) > 1 else 'base'
    if which == 'base':
        run('xgb n100 d6 eta0.3', make())
        run('xgb n100 d6 eta0.3 [type folds]', make(), scheme='type')
    elif which == 'grid':
        for depth in (2, 3, 4, 8):
            run(f'xgb n100 d{depth} eta0.3', make(depth=depth), test=False)
        for eta in (0.05, 0.1):
            run(f'xgb n300 d6 eta{eta}', make(n=300, eta=eta), test=False)
        run('xgb n100 d6 spw5', make(spw=5), test=False)
        run('xgb n100 d6 colsample0.3', make(colsample=0.3), test=False)
        run('xgb n100 d6 drop artefacts', make(drop=('num_outbound_cmds', 'is_host_login')), test=False)
