#!/usr/bin/python3
"""Times the reference representation metrics ("A Tale of Two Classes", metrics/metrics.py).

    /usr/bin/python3 time_metrics.py CHECKOUT X.npy Y.npy VIEWS

CHECKOUT is a checkout of the authors' repository; their metrics module is loaded from
CHECKOUT/metrics/metrics.py and is never part of ttc-spark. X.npy holds [N, D] embeddings
stacked view-major (row v*n + i is view v of sample i), Y.npy the [N] labels 0/1, as
`ttc metrics --bench N --reference CHECKOUT` writes them. The metrics run the way the module
is written: one N x N Euclidean distance matrix (scikit-learn), then SAD, CAD, SAA (which sets
the diagonal to infinity, so the CAC after it excludes the row itself, as ttc-spark does), CAC
and the Gaussian potential (torch.pdist). Prints one JSON line: the seconds from loading the
embeddings to the last metric, the peak resident set of this process, and the per-class means.
"""
import importlib.util
import json
import os
import resource
import sys
import time


def load_reference(checkout):
    path = os.path.join(checkout, "metrics", "metrics.py")
    if not os.path.isfile(path):
        sys.exit(f"time_metrics.py: {path} not found; give a checkout of the authors' "
                 "repository (git clone https://github.com/aiforvision/TTC)")
    spec = importlib.util.spec_from_file_location("reference_metrics", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv):
    if len(argv) != 5:
        sys.exit("usage: time_metrics.py CHECKOUT X.npy Y.npy VIEWS")
    checkout, x_file, y_file, views = argv[1], argv[2], argv[3], int(argv[4])
    import numpy as np
    from sklearn.metrics.pairwise import pairwise_distances
    ref = load_reference(checkout)

    start = time.perf_counter()
    x = np.load(x_file).astype(np.float64)
    labels = np.load(y_file).astype(np.int64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    n = x.shape[0] // views
    sample_labels = labels[:n]
    sim = pairwise_distances(x, metric="euclidean")
    sad0, sad1 = ref.calculate_sample_alignment_distance(sim, n, sample_labels)
    cad0, cad1 = ref.calculate_class_alignment_distance(sim, x, labels)
    saa0, saa1 = ref.calculate_sample_alignment_accuracy(sim, n, sample_labels, labels)
    cac0, cac1 = ref.calculate_class_alignment_consistency(sim, x, labels)
    gpu0, gpu1 = ref.calculate_gaussian_potential_uniformity(x, labels)
    seconds = time.perf_counter() - start

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    mean = lambda a: float(np.mean(a)) if len(a) else None
    print(json.dumps({
        "n": int(x.shape[0]), "views": views, "seconds": seconds,
        "peak_rss_bytes": peak_kib * 1024,
        "saa": [float(saa0), float(saa1)], "cac": [mean(cac0), mean(cac1)],
        "sad": [mean(sad0), mean(sad1)], "cad": [mean(cad0), mean(cad1)],
        "gpu": [float(gpu0), float(gpu1)]}))


if __name__ == "__main__":
    main(sys.argv)
