#!/usr/bin/python3
"""Writes the `bcl` and `paco` golden fixtures from the authors' loss modules, run unchanged.

Usage (Debian's python3-torch; the checkouts are not part of this repository):

    /usr/bin/python3 gen_bcl_paco.py --bcl BCL_CHECKOUT --paco PACO_CHECKOUT [--out DIR]

BCL_CHECKOUT is github FlamieZhu/Balanced-Contrastive-Learning (loss/contrastive.py BalSCL,
loss/logitadjust.py LogitAdjust); PACO_CHECKOUT is github dvlab-research/
Parametric-Contrastive-Learning (PaCo/LT/losses.py PaCoLoss). Their code assumes CUDA in two
places; the script bends the environment, not the code: `torch.cuda.FloatTensor` becomes a
float64 CPU constructor (LogitAdjust's prior), and `Tensor.to(cuda device)` is the identity
(PaCoLoss.cal_weight_for_classes). Everything else runs in float64 on the CPU. After writing the
fixtures it adds them to index.json (the other entries are kept as they are).
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

FORMAT = "ttc-golden/1"


def exact_float32(a):
    """float64 values that float32 represents exactly (a float32 port sees the same inputs)."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def unit_rows(rng, n, d):
    x = rng.standard_normal((n, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return exact_float32(x)


def number(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def nested(a):
    a = np.asarray(a)
    if a.ndim == 0:
        return number(a)
    return [nested(r) for r in a]


def patch_cuda():
    torch.cuda.FloatTensor = lambda data: torch.tensor(data, dtype=torch.float64)
    original_to = torch.Tensor.to

    def to(self, *args, **kwargs):
        if args and isinstance(args[0], torch.device) and args[0].type == "cuda":
            return self
        return original_to(self, *args, **kwargs)

    torch.Tensor.to = to


def bcl_case(BalSCL, LogitAdjust, name, seed, b, d, labels, cls_num_list, temperature, description):
    rng = np.random.default_rng(seed)
    features = unit_rows(rng, b * 2, d).reshape(b, 2, d)
    centers = unit_rows(rng, len(cls_num_list), d)
    logits = exact_float32(rng.standard_normal((b, len(cls_num_list))) * 3)
    f = torch.tensor(features, dtype=torch.float64, requires_grad=True)
    c = torch.tensor(centers, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(labels, dtype=torch.long)
    loss = BalSCL(cls_num_list, temperature)(c, f, y)
    loss.backward()
    x = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    la = LogitAdjust(cls_num_list)(x, y)
    la.backward()
    return {
        "format": FORMAT, "kind": "bcl", "case": name, "set": "visible", "seed": seed,
        "description": description,
        "source": "BCL loss/contrastive.py BalSCL and loss/logitadjust.py LogitAdjust "
                  "(tau = 1, weight None; torch.cuda.FloatTensor patched to a float64 CPU tensor)",
        "shape": {"batch_size": b, "n_views": 2, "dim": d, "n_classes": len(cls_num_list)},
        "params": {"temperature": temperature, "cls_num_list": list(cls_num_list),
                   "logit_adjust_tau": 1.0},
        "inputs": {"features": nested(features), "labels": list(labels),
                   "centers": nested(centers), "logits": nested(logits)},
        "expected": {"loss": number(loss.item()), "grad_features": nested(f.grad.numpy()),
                     "grad_centers": nested(c.grad.numpy()),
                     "logit_adjust_loss": number(la.item()),
                     "grad_logits": nested(x.grad.numpy())},
    }


def paco_case(PaCoLoss, name, seed, b, k, d, labels, queue_labels, cls_num_list, params,
              description):
    rng = np.random.default_rng(seed)
    q = unit_rows(rng, b, d)
    keys = unit_rows(rng, b, d)
    queue = unit_rows(rng, k, d)
    features = np.concatenate([q, keys, queue])
    all_labels = list(labels) + list(labels) + list(queue_labels)
    sup_logits = exact_float32(rng.standard_normal((b, len(cls_num_list))) * 2)
    criterion = PaCoLoss(alpha=params["alpha"], beta=params["beta"], gamma=params["gamma"],
                         supt=params["supt"], temperature=params["temperature"],
                         base_temperature=params["base_temperature"], K=k,
                         num_classes=len(cls_num_list))
    criterion.cal_weight_for_classes(cls_num_list)
    f = torch.tensor(features, dtype=torch.float64, requires_grad=True)
    s = torch.tensor(sup_logits, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(all_labels, dtype=torch.long)
    loss = criterion(f, y, s)
    loss.backward()
    out_params = dict(params)
    out_params["K"] = k
    out_params["cls_num_list"] = list(cls_num_list)
    if out_params["base_temperature"] is None:
        out_params["base_temperature"] = params["temperature"]
    return {
        "format": FORMAT, "kind": "paco", "case": name, "set": "visible", "seed": seed,
        "description": description,
        "source": "PaCo PaCo/LT/losses.py PaCoLoss (Tensor.to(cuda) patched to identity)",
        "shape": {"batch_size": b, "queue_size": k, "dim": d, "n_classes": len(cls_num_list)},
        "params": out_params,
        "inputs": {"features": nested(features), "labels": all_labels,
                   "sup_logits": nested(sup_logits)},
        "expected": {"loss": number(loss.item()), "grad_features": nested(f.grad.numpy()),
                     "grad_sup_logits": nested(s.grad.numpy())},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bcl", required=True, help="checkout of FlamieZhu/Balanced-Contrastive-Learning")
    ap.add_argument("--paco", required=True,
                    help="checkout of dvlab-research/Parametric-Contrastive-Learning")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    patch_cuda()
    sys.path.insert(0, args.bcl)
    from loss.contrastive import BalSCL
    from loss.logitadjust import LogitAdjust
    sys.path.insert(0, os.path.join(args.paco, "PaCo", "LT"))
    from losses import PaCoLoss

    cases = [
        bcl_case(BalSCL, LogitAdjust, "bcl_t007", 201, 12, 8,
                 [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1], [900, 100], 0.07,
                 "BalSCL at the authors' temperature, three minority samples of twelve"),
        bcl_case(BalSCL, LogitAdjust, "bcl_t01_one_minority", 202, 10, 6,
                 [0, 0, 0, 0, 1, 0, 0, 0, 0, 0], [50, 950], 0.1,
                 "BalSCL with a single minority sample (its positives: its other view and "
                 "its class centre)"),
        bcl_case(BalSCL, LogitAdjust, "bcl_no_minority", 203, 8, 5,
                 [0] * 8, [700, 300], 0.07,
                 "BalSCL when the batch holds no minority sample: the minority centre is "
                 "alone in its class (count 1)"),
        paco_case(PaCoLoss, "paco_cifar", 301, 8, 16, 8, [0, 1, 0, 0, 0, 1, 0, 0],
                  [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0], [900, 100],
                  {"alpha": 0.01, "beta": 1.0, "gamma": 1.0, "supt": 1.0, "temperature": 0.05,
                   "base_temperature": None},
                  "PaCoLoss with the authors' CIFAR settings (alpha 0.01, beta 1, gamma 1, "
                  "moco-t 0.05); queries, keys, a queue of 16"),
        paco_case(PaCoLoss, "paco_weighted", 302, 6, 12, 7, [1, 0, 0, 1, 0, 0],
                  [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0], [800, 200],
                  {"alpha": 0.5, "beta": 0.8, "gamma": 0.7, "supt": 0.5, "temperature": 0.2,
                   "base_temperature": 0.07},
                  "PaCoLoss with every weight away from 1: alpha, beta, gamma, supt and a "
                  "base temperature"),
    ]
    index_path = os.path.join(args.out, "index.json")
    with open(index_path) as fh:
        index = json.load(fh)
    names = {c["case"] for c in cases}
    index["files"] = [e for e in index["files"] if e["case"] not in names]
    for case in cases:
        path = os.path.join(args.out, case["case"] + ".json")
        with open(path + ".tmp", "w") as fh:
            json.dump(case, fh, indent=1)
            fh.write("\n")
        os.replace(path + ".tmp", path)
        index["files"].append({"file": case["case"] + ".json", "kind": case["kind"],
                               "case": case["case"]})
        print(case["case"], "loss", case["expected"]["loss"])
    with open(index_path + ".tmp", "w") as fh:
        json.dump(index, fh, indent=1)
    os.replace(index_path + ".tmp", index_path)


if __name__ == "__main__":
    main()
