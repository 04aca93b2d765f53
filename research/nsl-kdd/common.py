"""Shared loading and validation helpers for the NSL-KDD research scripts (numpy only, no pandas).

Run with Debian's interpreter, which has python3-xgboost: /usr/bin/python3 research/nsl-kdd/<script>.py
Every choice these scripts make is made on KDDTrain+ alone; the test files are read only by
`load_test_sets` and only scored after a setting has been selected.
"""
import csv
import gzip
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared', 'datasets', 'nsl-kdd'))

FEATURES = [
    'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment',
    'urgent', 'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted',
    'num_root', 'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds',
    'is_host_login', 'is_guest_login', 'count', 'srv_count', 'serror_rate', 'srv_serror_rate',
    'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate', 'srv_diff_host_rate',
    'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate',
    'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate',
    'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate',
]
CATEGORICAL = (1, 2, 3)

FAMILY = {
    'back': 'dos', 'land': 'dos', 'neptune': 'dos', 'pod': 'dos', 'smurf': 'dos', 'teardrop': 'dos',
    'ipsweep': 'probe', 'nmap': 'probe', 'portsweep': 'probe', 'satan': 'probe',
    'ftp_write': 'r2l', 'guess_passwd': 'r2l', 'imap': 'r2l', 'multihop': 'r2l', 'phf': 'r2l',
    'spy': 'r2l', 'warezclient': 'r2l', 'warezmaster': 'r2l',
    'buffer_overflow': 'u2r', 'loadmodule': 'u2r', 'perl': 'u2r', 'rootkit': 'u2r',
}


def read_rows(name):
    with gzip.open(os.path.join(DATA, name), 'rt', newline='') as f:
        return [r for r in csv.reader(f) if len(r) == 43]


class Encoder:
    """Categorical columns -> codes learned from the training rows (sorted, so both languages agree);
    a value never seen in training becomes NaN, the trees' missing branch."""

    def __init__(self, train_rows):
        self.dicts = {j: sorted({r[j] for r in train_rows}) for j in CATEGORICAL}
        self.index = {j: {v: i for i, v in enumerate(d)} for j, d in self.dicts.items()}

    def matrix(self, rows):
        x = np.empty((len(rows), 41), dtype=np.float32)
        for i, r in enumerate(rows):
            for j in range(41):
                if j in self.index:
                    x[i, j] = self.index[j].get(r[j], np.nan)
                else:
                    x[i, j] = float(r[j])
        return x


def load_train():
    rows = read_rows('KDDTrain+.txt.gz')
    enc = Encoder(rows)
    x = enc.matrix(rows)
    labels = np.array([r[41] for r in rows])
    return x, labels, enc


def load_test_sets(enc):
    out = {}
    for name in ('KDDTest+', 'KDDTest-21'):
        rows = read_rows(name + '.txt.gz')
        out[name] = (enc.matrix(rows), np.array([r[41] for r in rows]))
    return out


def is_attack(labels):
    return (labels != 'normal').astype(np.int32)


def family_folds(labels, seed=0, normal_frac=0.2):
    """Leave-one-family-out folds on KDDTrain+: each fold holds out every row of one attack family
    (dos, probe, r2l, u2r) plus a random `normal_frac` of normal rows. The model never sees the
    held-out family, which is how KDDTest+ looks to a model trained on KDDTrain+ (17 of its 37
    attack types are absent from training)."""
    rng = np.random.default_rng(seed)
    normal_idx = np.flatnonzero(labels == 'normal')
    perm = rng.permutation(normal_idx)
    n_val = int(len(perm) * normal_frac)
    fam = np.array([FAMILY.get(l, 'normal') for l in labels])
    folds = []
    for k, family in enumerate(('dos', 'probe', 'r2l', 'u2r')):
        # A different slice of normal rows per fold, so the four folds see different normals.
        val_normal = np.roll(perm, -k * n_val)[:n_val]
        val = np.concatenate([val_normal, np.flatnonzero(fam == family)])
        train_mask = np.ones(len(labels), dtype=bool)
        train_mask[val] = False
        folds.append((family, np.flatnonzero(train_mask), val))
    return folds


def type_folds(labels, seed=0, n_groups=5, normal_frac=0.2):
    """Leave-attack-types-out: the 22 training attack types are dealt into `n_groups` groups
    (shuffled with a fixed seed); each fold holds out one group's types plus a slice of normals."""
    rng = np.random.default_rng(seed)
    types = sorted(set(labels) - {'normal'})
    types = [types[i] for i in rng.permutation(len(types))]
    groups = [types[g::n_groups] for g in range(n_groups)]
    normal_idx = rng.permutation(np.flatnonzero(labels == 'normal'))
    n_val = int(len(normal_idx) * normal_frac)
    folds = []
    for k, group in enumerate(groups):
        val_normal = np.roll(normal_idx, -k * n_val)[:n_val]
        val = np.concatenate([val_normal, np.flatnonzero(np.isin(labels, group))])
        train_mask = np.ones(len(labels), dtype=bool)
        train_mask[val] = False
        folds.append((','.join(group), np.flatnonzero(train_mask), val))
    return folds


def accuracy(y, p, threshold=0.5):
    return float(np.mean((p >= threshold).astype(np.int32) == y))
