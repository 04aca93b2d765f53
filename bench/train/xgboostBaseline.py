"""XGBoost reference for `npm run bench:train`: trains python3-xgboost (tree_method hist) at the
settings given and prints one JSON object with the metrics and the training wall time (data
loading and DMatrix construction excluded).

Run with Debian's interpreter (the one that has python3-xgboost):
  /usr/bin/python3 bench/train/xgboostBaseline.py nsl-kdd --train KDDTrain+.txt.gz \
      --test KDDTest+.txt.gz --test KDDTest-21.txt.gz [--novelty-threshold]
  /usr/bin/python3 bench/train/xgboostBaseline.py cic-improved FILE.csv.gz [FILE.csv.gz ...]
Common options: --trees 100 --depth 6 --eta 0.3 --bins 256 --threads 2 --seed 42

Data conventions copy lib/datasets/ so both sides see the same numbers: categorical codes in
first-seen order (training file first, test files extend the dictionaries), Infinity and blank
cells -> NaN (missing). The CIC split and the NSL-KDD novelty folds are defined by the integer
hash in `mix32`, which bench/train/deterministicSplit.ts implements identically, so both
trainers get exactly the same rows without exchanging files.
"""
import argparse
import csv
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import xgboost as xgb

NSL_CATEGORICAL = (1, 2, 3)
# Training attack types of KDDTrain+ -> family; the novelty folds hold out one family at a time.
NSL_FAMILY = {
    'back': 'DoS', 'land': 'DoS', 'neptune': 'DoS', 'pod': 'DoS', 'smurf': 'DoS', 'teardrop': 'DoS',
    'ipsweep': 'Probe', 'nmap': 'Probe', 'portsweep': 'Probe', 'satan': 'Probe',
    'ftp_write': 'R2L', 'guess_passwd': 'R2L', 'imap': 'R2L', 'multihop': 'R2L', 'phf': 'R2L',
    'spy': 'R2L', 'warezclient': 'R2L', 'warezmaster': 'R2L',
    'buffer_overflow': 'U2R', 'loadmodule': 'U2R', 'perl': 'U2R', 'rootkit': 'U2R',
}
NOVELTY_FAMILIES = ('DoS', 'Probe', 'R2L', 'U2R')
CIC_NOT_FEATURES = {'id', 'Flow ID', 'Src IP', 'Src Port', 'Dst IP', 'Timestamp', 'Label', 'Attempted Category'}


def mix32(values):
    """murmur3's 32-bit finaliser on uint32 values (vectorised); deterministicSplit.ts mirrors it."""
    h = np.asarray(values, dtype=np.uint64) & 0xFFFFFFFF
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


def row_keys(count, seed):
    return mix32((np.arange(count, dtype=np.uint64) + seed * 0x9E3779B9) & 0xFFFFFFFF)


def stratified_holdout(labels, fraction_fifths, seed):
    """Per class, the rows with the smallest keys form the held-out part: round-half-up of
    n * fifths / 5 rows (integer arithmetic, so no float rounding differs between languages)."""
    keys = row_keys(len(labels), seed)
    held = np.zeros(len(labels), dtype=bool)
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        take = (2 * len(members) * fraction_fifths + 5) // 10
        order = members[np.lexsort((members, keys[members]))]
        held[order[:take]] = True
    return held


def novelty_folds(labels, seed):
    """Fold k holds out every row of attack family k plus the normal rows with key % 5 == k."""
    keys = row_keys(len(labels), seed)
    family = np.array([NSL_FAMILY.get(l, '') for l in labels])
    normal = labels == 'normal'
    folds = []
    for k, name in enumerate(NOVELTY_FAMILIES):
        val = (family == name) | (normal & (keys % 5 == k))
        folds.append((name, np.flatnonzero(~val), np.flatnonzero(val)))
    return folds


def threshold_grid():
    """Log-spaced below 0.1 (the chosen thresholds sit decades below 0.5), then steps of 0.05."""
    low = [10.0 ** (-6 + k / 10) for k in range(50)]
    return low + [round(0.1 + 0.05 * k, 10) for k in range(18)]


def balanced_accuracy(is_attack, score, threshold):
    flagged = score >= threshold
    return 0.5 * (np.mean(~flagged[~is_attack]) + np.mean(flagged[is_attack]))


def open_text(path):
    with open(path, 'rb') as probe:
        magic = probe.read(2)
    return gzip.open(path, 'rt', newline='') if magic == b'\x1f\x8b' else open(path, newline='')


def parse_number(cell):
    try:
        value = float(cell)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) and abs(value) <= 3.4028234663852886e38 else math.nan


def read_nsl(path, dictionaries):
    x, labels = [], []
    with open_text(path) as f:
        for fields in csv.reader(f):
            if len(fields) < 42:
                continue
            row = []
            for j in range(41):
                if j in NSL_CATEGORICAL:
                    d = dictionaries[j]
                    row.append(d.setdefault(fields[j], len(d)))
                else:
                    row.append(parse_number(fields[j]))
            x.append(row)
            labels.append(fields[41].strip())
    return np.asarray(x, dtype=np.float32), np.asarray(labels)


def read_cic(paths):
    blocks, labels, names = [], [], None
    for path in paths:
        with open_text(path) as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader)]
            keep = [j for j, h in enumerate(header) if h not in CIC_NOT_FEATURES]
            if names is None:
                names = [header[j] for j in keep]
            elif names != [header[j] for j in keep]:
                sys.exit(f'{path}: feature columns differ from the first file')
            label_at = header.index('Label')
            rows = []
            for fields in reader:
                if len(fields) != len(header):
                    continue
                rows.append([parse_number(fields[j]) for j in keep])
                labels.append(fields[label_at].strip())
            blocks.append(np.asarray(rows, dtype=np.float32).reshape(-1, len(keep)))
    return np.concatenate(blocks), np.asarray(labels), names


def train(x, y, args, objective, num_class=None):
    params = dict(tree_method='hist', max_depth=args.depth, eta=args.eta, max_bin=args.bins, objective=objective,
                  nthread=args.threads, reg_lambda=1.0, min_child_weight=1.0, verbosity=0, seed=args.seed)
    if num_class:
        params['num_class'] = num_class
    matrix = xgb.DMatrix(x, label=y, nthread=args.threads)
    started, cpu_started = time.perf_counter(), time.process_time()
    booster = xgb.train(params, matrix, num_boost_round=args.trees)
    train.last_cpu = time.process_time() - cpu_started
    return booster, time.perf_counter() - started


def run_nsl(args):
    dictionaries = {j: {} for j in NSL_CATEGORICAL}
    x, labels = read_nsl(args.train, dictionaries)
    y = (labels != 'normal').astype(np.float32)
    booster, seconds = train(x, y, args, 'binary:logistic')
    out = {'dataset': 'nsl-kdd', 'trainRows': len(y), 'trainSeconds': seconds, 'trainCpuSeconds': train.last_cpu, 'tests': {}}
    novelty = None
    if args.novelty_threshold:
        novelty = out['novelty'] = select_novelty_threshold(x, labels, args)
    for path in args.test:
        xt, lt = read_nsl(path, dictionaries)
        truth = lt != 'normal'
        p = booster.predict(xgb.DMatrix(xt, nthread=args.threads))
        result = {'rows': len(lt), 'accuracyAtHalf': float(np.mean((p >= 0.5) == truth))}
        if novelty is not None:
            result['accuracyAtNoveltyThreshold'] = float(np.mean((p >= novelty['threshold']) == truth))
            result['normalsFlaggedAtNoveltyThreshold'] = float(np.mean(p[~truth] >= novelty['threshold']))
            if 'budgetThreshold' in novelty:
                result['accuracyAtBudgetThreshold'] = float(np.mean((p >= novelty['budgetThreshold']) == truth))
                result['normalsFlaggedAtBudgetThreshold'] = float(np.mean(p[~truth] >= novelty['budgetThreshold']))
        out['tests'][os.path.basename(path).replace('.txt.gz', '').replace('.txt', '')] = result
    return out


def select_novelty_threshold(x, labels, args):
    """The recipe of lib/model/train/noveltyThreshold.ts applied to XGBoost: train once per
    leave-one-family-out fold of the training file, keep the threshold on P(attack) with the best
    mean balanced accuracy over the folds (first, i.e. lowest, on ties)."""
    started = time.perf_counter()
    fold_scores = []
    for name, tr, va in novelty_folds(labels, args.seed):
        booster, _ = train(x[tr], (labels[tr] != 'normal').astype(np.float32), args, 'binary:logistic')
        fold_scores.append((labels[va] != 'normal', booster.predict(xgb.DMatrix(x[va], nthread=args.threads))))
    out = {'folds': list(NOVELTY_FAMILIES), 'seconds': time.perf_counter() - started}
    out['threshold'], out['validationBalancedAccuracy'] = choose_threshold(fold_scores, None)
    if args.false_alarm_budget is not None:
        out['budget'] = args.false_alarm_budget
        out['budgetThreshold'], out['budgetValidationBalancedAccuracy'] = choose_threshold(fold_scores, args.false_alarm_budget)
    return out


def choose_threshold(fold_scores, max_benign_flagged):
    """Best mean balanced accuracy over the folds, within the false-alarm budget if one is given."""
    best_t, best = None, -1.0
    for t in threshold_grid():
        if max_benign_flagged is not None:
            flagged = np.mean([np.mean(s[~a] >= t) for a, s in fold_scores])
            if flagged > max_benign_flagged:
                continue
        value = float(np.mean([balanced_accuracy(a, s, t) for a, s in fold_scores]))
        if value > best:
            best_t, best = t, value
    return best_t, best


def macro_f1(truth, predicted, class_count):
    """Mean F1 over the classes present in the truth (lib/model/evaluate/metrics.ts macroF1)."""
    scores = []
    for k in range(class_count):
        support = np.sum(truth == k)
        if support == 0:
            continue
        tp = np.sum((truth == k) & (predicted == k))
        pred = np.sum(predicted == k)
        precision = tp / pred if pred else 0.0
        recall = tp / support
        scores.append(2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0)
    return float(np.mean(scores))


def run_cic(args):
    x, labels, names = read_cic(args.files)
    classes = list(dict.fromkeys(labels))  # first-seen order, like the loader's label codes
    y = np.array([classes.index(l) for l in labels])
    held = stratified_holdout(y, 1, args.seed)
    booster, seconds = train(x[~held], y[~held], args, 'multi:softprob', len(classes))
    p = booster.predict(xgb.DMatrix(x[held], nthread=args.threads)).reshape(-1, len(classes))
    predicted = p.argmax(axis=1)
    truth = y[held]
    return {'dataset': 'cic-improved', 'features': len(names), 'classes': len(classes), 'trainRows': int((~held).sum()),
            'testRows': int(held.sum()), 'trainSeconds': seconds, 'trainCpuSeconds': train.last_cpu, 'accuracy': float(np.mean(predicted == truth)),
            'macroF1': macro_f1(truth, predicted, len(classes))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('dataset', choices=['nsl-kdd', 'cic-improved'])
    parser.add_argument('files', nargs='*', help='cic-improved: the CSV files (sorted order is the row order)')
    parser.add_argument('--train', help='nsl-kdd: KDDTrain+ path')
    parser.add_argument('--test', action='append', default=[], help='nsl-kdd: a test file (repeatable)')
    parser.add_argument('--trees', type=int, default=100)
    parser.add_argument('--depth', type=int, default=6)
    parser.add_argument('--eta', type=float, default=0.3)
    parser.add_argument('--bins', type=int, default=256)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--seed', type=int, default=42)
    parser.add_argument('--novelty-threshold', action='store_true', help='nsl-kdd: also select a threshold by leave-family-out validation')
    parser.add_argument('--false-alarm-budget', type=float, help='nsl-kdd: also select a threshold flagging at most this share of held-out normals')
    args = parser.parse_args()
    if args.dataset == 'nsl-kdd' and not args.train:
        parser.error('nsl-kdd needs --train PATH (KDDTrain+)')
    if args.dataset == 'cic-improved' and not args.files:
        parser.error('cic-improved needs the CSV files as arguments')
    out = run_nsl(args) if args.dataset == 'nsl-kdd' else run_cic(args)
    out['xgboost'] = xgb.__version__
    out['settings'] = {'trees': args.trees, 'depth': args.depth, 'eta': args.eta, 'bins': args.bins, 'threads': args.threads}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
