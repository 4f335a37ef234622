"""Annealer speed at the paper's 1000 reads: SimulatedAnnealingSampler vs the fast annealer.

Both samplers get the same one-hot QUBOs (Eq. 19) built from action-value rows like those QAQL
learns (negative squared errors), through the same dimod API, 1000 reads each. The script also
times the selector's direct path (the fast annealer's arithmetic without dimod objects, used in
training) and projects the whole FD001 protocol: 17,731 windows × 8 episodes ≈ 142 k calls.

    python benchmarks/annealer.py [--sa-calls 8] [--fast-calls 400]

The last line is ``ratio=<sa seconds per call ÷ fast seconds per call>``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from qpdm_lib.qaql import agent, qubo, samplers

CALLS_FD001 = 17_731 * 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sa-calls", type=int, default=8)
    parser.add_argument("--fast-calls", type=int, default=400)
    parser.add_argument("--reads", type=int, default=1000)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    rows = -(rng.uniform(0, 125, (max(args.sa_calls, args.fast_calls), 16)) ** 2) / 4
    bqms = [qubo.one_hot_qubo(q, penalty=qubo.scaled_penalty(q)) for q in rows]

    def per_call(sampler, n):
        start = time.perf_counter()
        for k in range(n):
            sampler.sample(bqms[k], num_reads=args.reads, seed=k)
        return (time.perf_counter() - start) / n

    sa_s = per_call(samplers.get_sampler("sa"), args.sa_calls)
    fast_s = per_call(samplers.get_sampler("fast"), args.fast_calls)
    selector = agent.make_selector("fast", agent.AgentConfig(num_reads=args.reads))
    start = time.perf_counter()
    for k in range(args.fast_calls):
        selector(rows[k], rng)
    direct_s = (time.perf_counter() - start) / args.fast_calls

    for name, seconds in (
        ("sa", sa_s),
        ("fast (dimod API)", fast_s),
        ("fast (selector path)", direct_s),
    ):
        hours = seconds * CALLS_FD001 / 3600
        print(
            f"{name:22s} {1 / seconds:9.1f} calls/s  {seconds * 1e3:8.2f} ms/call  FD001 protocol ≈ {hours:6.2f} h"
        )
    print(f"ratio={sa_s / fast_s:.0f}")


if __name__ == "__main__":
    main()
