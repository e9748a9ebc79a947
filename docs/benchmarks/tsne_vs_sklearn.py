#!/usr/bin/python3
"""Stemscope t-SNE vs scikit-learn's TSNE on the same synthetic embeddings.

For each size n:
  1. `stemscope-cli bench tsne --n N --write-data X.f32 --out Y_ours.f32 --no-quality` generates 20 Gaussian
     clusters of L2-normalised 128-d vectors, runs our t-SNE (default options, 2 threads) and reports wall time.
  2. sklearn.manifold.TSNE(perplexity=30, init='pca', learning_rate='auto', random_state=42, n_jobs=2,
     method='barnes_hut' (sklearn's default), n_iter=1000) on the same X, in a subprocess with a time limit.
  3. Quality of both embeddings: sklearn.manifold.trustworthiness(X, Y, n_neighbors=10) (n <= 20000), and
     `stemscope-cli tsne quality` (our trustworthiness, sampled above 20000 points, and KL(P||Q) with the same
     kNN P and exact Q normalisation for both embeddings). sklearn's own kl_divergence_ is reported too.

With --data X.npy (e.g. segment embeddings from `stemscope-cli embed *.flac --focus drums --out X.npy`), each
size n is n rows of X drawn without replacement (numpy default_rng(0)) instead of synthetic clusters, and ours
runs as `stemscope-cli tsne --in ... --threads 2` (default options).

Usage: docs/benchmarks/tsne_vs_sklearn.py --cli build-tsne/app/stemscope-cli --sizes 1000 10000 [--repeats 2]
       [--seeds 42 1 2] [--ours-args "--fft-nodes 5"] [--sklearn-timeout 1800] [--skip-sklearn] [--workdir DIR]
Must run with Debian's python3 (/usr/bin/python3, package python3-sklearn).
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

import numpy as np


def read_f32(path):
    shape = np.fromfile(path, '<i4', 2)
    return np.fromfile(path, '<f4', offset=8).reshape(int(shape[0]), int(shape[1]))


def write_f32(path, m):
    m = np.ascontiguousarray(m, dtype='<f4')
    with open(path, 'wb') as f:
        np.array(m.shape, dtype='<i4').tofile(f)
        m.tofile(f)


def sklearn_worker(x_path, y_path, seed):
    from sklearn.manifold import TSNE
    x = read_f32(x_path)
    t0 = time.perf_counter()
    tsne = TSNE(n_components=2, perplexity=30.0, init='pca', learning_rate='auto', random_state=seed, n_jobs=2,
                method='barnes_hut', angle=0.5, n_iter=1000)
    y = tsne.fit_transform(x)
    seconds = time.perf_counter() - t0
    write_f32(y_path, y)
    print(json.dumps({'seconds': seconds, 'kl': float(tsne.kl_divergence_), 'n_iter': int(tsne.n_iter_)}))


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def quality(cli, x_path, y_path, n):
    args = [cli, 'tsne', 'quality', '--in', x_path, '--embedding', y_path, '--threads', '2']
    if n > 20000:
        args += ['--queries', '5000']
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    res = {'T_ours_impl': float(re.search(r'trustworthiness\S*(?: sampled)? ([0-9.]+)', out).group(1)),
           'KL_same_P': float(re.search(r'KL\(P\|\|Q\) \S+ ([0-9.]+)', out).group(1))}
    if n <= 20000:
        from sklearn.manifold import trustworthiness
        res['T_sklearn_impl'] = float(trustworthiness(read_f32(x_path), read_f32(y_path), n_neighbors=10))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', default='build-tsne/app/stemscope-cli')
    ap.add_argument('--sizes', type=int, nargs='+', default=[1000, 10000])
    ap.add_argument('--repeats', type=int, default=1)
    ap.add_argument('--seeds', type=int, nargs='+', default=[42], help='t-SNE seeds (ours --seed, sklearn random_state)')
    ap.add_argument('--ours-args', default='', help='extra arguments for stemscope-cli bench tsne, e.g. "--fft-nodes 5"')
    ap.add_argument('--sklearn-timeout', type=float, default=1800)
    ap.add_argument('--skip-sklearn', action='store_true')
    ap.add_argument('--workdir', default='/tmp/tsne-bench')
    ap.add_argument('--data', help='real embeddings (.npy, rows = points) to subsample instead of synthetic clusters')
    ap.add_argument('--sklearn-worker', nargs=3, metavar=('X', 'Y', 'SEED'), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.sklearn_worker:
        sklearn_worker(a.sklearn_worker[0], a.sklearn_worker[1], int(a.sklearn_worker[2]))
        return
    os.makedirs(a.workdir, exist_ok=True)
    for n in a.sizes:
        x_path = os.path.join(a.workdir, f'x_{n}.f32')
        if a.data:
            full = np.load(a.data).astype('<f4')
            if n > full.shape[0]:
                sys.exit(f'{a.data} has {full.shape[0]} rows, fewer than {n}')
            rows = np.sort(np.random.default_rng(0).choice(full.shape[0], n, replace=False))
            write_f32(x_path, full[rows])
        for seed in a.seeds:
            run_size(a, n, seed, x_path)


def run_size(a, n, seed, x_path):
    y_ours = os.path.join(a.workdir, f'y_ours_{n}_{seed}.f32')
    y_skl = os.path.join(a.workdir, f'y_sklearn_{n}_{seed}.f32')
    for rep in range(a.repeats):
        load, cpu0 = os.getloadavg()[0], child_cpu()
        if a.data:
            out = subprocess.run([a.cli, 'tsne', '--in', x_path, '--out', y_ours, '--seed', str(seed), '--threads', '2',
                                  '--quiet'] + a.ours_args.split(), check=True, capture_output=True, text=True)
            out = out.stdout + out.stderr
            m = re.search(r't-SNE (\S+): .*, ([0-9.]+) s', out)
        else:
            out = subprocess.run([a.cli, 'bench', 'tsne', '--n', str(n), '--seed', str(seed), '--write-data', x_path,
                                  '--out', y_ours, '--no-quality'] + a.ours_args.split(),
                                 check=True, capture_output=True, text=True).stdout
            m = re.search(r'run 1: (\S+) ([0-9.]+) s wall', out)
        print(json.dumps({'n': n, 'impl': 'stemscope', 'method': m.group(1), 'seed': seed, 'rep': rep + 1,
                          'data': a.data or 'synthetic clusters',
                          'seconds': float(m.group(2)), 'cpu_seconds_process': round(child_cpu() - cpu0, 2),
                          'load_before': round(load, 2), 'load_after': round(os.getloadavg()[0], 2),
                          'ours_args': a.ours_args}), flush=True)
        if a.skip_sklearn:
            continue
        load, cpu0 = os.getloadavg()[0], child_cpu()
        try:
            r = subprocess.run([sys.executable, os.path.abspath(__file__), '--sklearn-worker', x_path, y_skl, str(seed)],
                               check=True, capture_output=True, text=True, timeout=a.sklearn_timeout)
            skl = json.loads(r.stdout.strip().splitlines()[-1])
            print(json.dumps({'n': n, 'impl': 'sklearn', 'seed': seed, 'rep': rep + 1, 'seconds': round(skl['seconds'], 2),
                              'cpu_seconds_process': round(child_cpu() - cpu0, 2), 'sklearn_kl': skl['kl'],
                              'load_before': round(load, 2), 'load_after': round(os.getloadavg()[0], 2)}),
                  flush=True)
        except subprocess.TimeoutExpired:
            print(json.dumps({'n': n, 'impl': 'sklearn', 'seed': seed, 'rep': rep + 1,
                              'timeout_s': a.sklearn_timeout}), flush=True)
            break
    print(json.dumps({'n': n, 'impl': 'stemscope', 'seed': seed, 'quality': quality(a.cli, x_path, y_ours, n)}),
          flush=True)
    if not a.skip_sklearn and os.path.exists(y_skl) and read_f32(y_skl).shape[0] == n:
        print(json.dumps({'n': n, 'impl': 'sklearn', 'seed': seed, 'quality': quality(a.cli, x_path, y_skl, n)}),
              flush=True)

if __name__ == '__main__':
    main()
