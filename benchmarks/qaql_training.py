"""QAQL training speed on the FD001 protocol: readable agent + fast sampler vs compiled + best-of-n.

The reference is the agent as it was before the compiled loop: the readable Python loop of
:class:`qpdm_lib.qaql.agent.QAQLAgent` with the ``fast`` selector, which draws 1000 annealer reads
per greedy step and keeps the lowest-energy feasible one. Ours is the numba loop with
``best-of-n``, which draws the same decision in closed form (QAQL Eq. 19; the match of the two
decision distributions is tested in ``tests/qaql``). Both train on every training window of the
80 % engine split of FD001 (8 episodes, 1000 reads, QAQL Table 3) for the same seeds.

The readable loop needs minutes per episode, so by default it runs ``--python-episodes 1`` and its
time is scaled to 8 episodes (the episodes cost the same: each visits every window once); pass
``--python-episodes 8`` to time it whole. The script also projects the ``full`` profile of the
QAQL chapter (30 seeds × the datasets × the local selectors) from the compiled times.

    QPDM_DATA_DIR=../shared/data python benchmarks/qaql_training.py [--seeds 2]

The last line is ``ratio=<reference seconds per run ÷ our seconds per run>``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from qpdm_lib.qaql import agent as qa
from qpdm_lib.qaql import runs

EPISODES = 8  # QAQL Table 3


def _fit(traj, config, selector, seed, engine):
    agent = qa.QAQLAgent(config, qa.make_selector(selector, config), seed=seed)
    start = time.perf_counter()
    agent.fit(traj.train_states, traj.train_rul, traj.train_done, engine=engine)
    return time.perf_counter() - start, agent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2, help="seeds timed per path")
    parser.add_argument("--python-episodes", type=int, default=1, choices=range(1, EPISODES + 1))
    parser.add_argument("--data", default="auto", help="auto, real or synthetic")
    args = parser.parse_args()

    traj = runs.trajectories_for("FD001", data=args.data)
    windows = len(traj.train_states)
    base = qa.AgentConfig(n_states=64, rul_cap=traj.cap, num_reads=1000, episodes=EPISODES)
    print(f"FD001: {windows} training windows, {EPISODES} episodes, 1000 reads, 64 states")

    # compile once outside the timing (numba's first call includes compilation)
    _fit(traj, replace(base, episodes=1), "best-of-n", 0, "compiled")

    ours = []
    for seed in range(args.seeds):
        seconds, _ = _fit(traj, base, "best-of-n", seed, "compiled")
        ours.append(seconds)
    ours_s = sum(ours) / len(ours)

    ref = []
    short = replace(base, episodes=args.python_episodes)
    for seed in range(args.seeds):
        seconds, _ = _fit(traj, short, "fast", seed, "python")
        ref.append(seconds * EPISODES / args.python_episodes)
    ref_s = sum(ref) / len(ref)

    other = {}
    for selector in ("greedy", "softmax", "one-read"):
        other[selector] = _fit(traj, base, selector, 0, "compiled")[0]

    scaled = (
        ""
        if args.python_episodes == EPISODES
        else f" (timed {args.python_episodes} episode(s), scaled to {EPISODES})"
    )
    print(f"reference: python loop + fast sampler   {ref_s:9.2f} s per run{scaled}")
    print(f"ours:      compiled loop + best-of-n    {ours_s:9.3f} s per run")
    for name, seconds in other.items():
        print(f"ours:      compiled loop + {name:12s} {seconds:9.3f} s per run")

    # projected main grid of the `full` QAQL profile: 30 seeds x 4 local selectors x (4 C-MAPSS
    # subsets + the fleet), in FD001-sized runs (training time grows with the windows: FD003 has
    # 1.2x FD001's, the fleet 5.4x; so about 12 FD001-sized runs per seed and selector)
    runs_full = 30 * 4 * 12
    per_run = (ours_s + sum(other.values())) / (1 + len(other))
    print(
        f"projected full main grid: {runs_full} FD001-sized runs x {per_run:.2f} s ≈ "
        f"{runs_full * per_run / 60:.1f} min on one core (reference path: "
        f"{runs_full * ref_s / 3600:.0f} h)"
    )
    print(f"ratio={ref_s / ours_s:.0f}")


if __name__ == "__main__":
    main()
