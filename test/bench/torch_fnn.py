"""PyTorch reference for test/bench/trainSpeed.ts: the seed FNN trained on one CPU thread.

Prints one JSON object: {"torch", "threads", "blas", "results": [{"batch", "loader", "samples_per_s",
"samples_per_cpu_s", "rows"}]}: the fastest epoch's wall-clock rate and the rate per CPU-second.
Two data loaders are timed: 'index' (shuffled index tensor, batches by fancy indexing: the fastest
plain-PyTorch loop) and 'dataloader' (TensorDataset + DataLoader(shuffle=True), the usual idiom).
"""
import argparse
import json
import time

import torch
from torch import nn


def seed_fnn(d):
    layers = []
    width = d
    for units in (128, 256, 128, 64):
        layers += [nn.Linear(width, units), nn.BatchNorm1d(units), nn.ReLU(), nn.Dropout(0.3)]
        width = units
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def batches(X, y, batch, loader):
    if loader == "index":
        order = torch.randperm(X.shape[0])
        for start in range(0, X.shape[0], batch):
            idx = order[start:start + batch]
            if idx.numel() > 1:
                yield X[idx], y[idx]
    else:
        data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=batch, shuffle=True)
        for xb, yb in data:
            if xb.shape[0] > 1:
                yield xb, yb


def samples_per_second(X, y, batch, loader, epochs):
    """Fastest epoch (other processes on a shared machine only slow runs down) and samples per CPU-second."""
    torch.manual_seed(0)
    model = seed_fnn(X.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    loss_fn = nn.MSELoss()
    model.train()

    def step(xb, yb):
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()

    # Warm-up: allocator and kernels, as the tfjs benchmark does.
    for xb, yb in batches(X[:2048], y[:2048], batch, loader):
        step(xb, yb)
    rates = []
    cpu_start = time.process_time()
    for _ in range(epochs):
        start = time.perf_counter()
        seen = 0
        for xb, yb in batches(X, y, batch, loader):
            step(xb, yb)
            seen += xb.shape[0]
        rates.append(seen / (time.perf_counter() - start))
    return max(rates), epochs * seen / (time.process_time() - cpu_start)


def blas_library():
    """Which BLAS the process loaded (Linux): Debian's torch uses whatever libblas.so.3 points to."""
    try:
        with open("/proc/self/maps") as maps:
            text = maps.read()
    except OSError:
        return "unknown"
    for name in ("openblas", "mkl", "blis", "atlas"):
        if name in text:
            return name
    return "reference" if "libblas.so" in text else "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=16)
    parser.add_argument("--batches", default="64,512")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(1)
    X = torch.randn(args.rows, args.features, generator=generator)
    y = torch.exp(X[:, :1] + 0.5 * torch.randn(args.rows, 1, generator=generator))
    results = []
    for batch in (int(b) for b in args.batches.split(",")):
        for loader in ("index", "dataloader"):
            wall, cpu = samples_per_second(X, y, batch, loader, args.epochs)
            results.append({"batch": batch, "loader": loader, "samples_per_s": round(wall), "samples_per_cpu_s": round(cpu), "rows": args.rows})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(), "results": results}))


if __name__ == "__main__":
    main()
