#!/usr/bin/env python3
"""Times commands in interleaved rounds and prints each one's median and its median ratios to
the first and the second command (the floors), as JSON.

Every round runs each command once, in a fresh random order, so load that comes and goes
(another build, a noisy neighbour on the VM) falls on all of them alike; each ratio is taken
within its round, then the median of the ratios is reported. Sequential batches (hyperfine's
way) let a burst of load land on one command only, which moved the ratios 10-25% between runs.

    interleave.py ROUNDS WARMUP -- CMD1 ARGS... -- CMD2 ARGS... [-- ...]
"""
import json
import os
import random
import statistics
import sys
import time


def main():
    rounds, warmup = int(sys.argv[1]), int(sys.argv[2])
    rest = sys.argv[3:]
    cmds, cur = [], None
    for a in rest:
        if a == "--":
            cur = []
            cmds.append(cur)
        else:
            cur.append(a)
    if len(cmds) < 2 or any(not c for c in cmds):
        sys.exit("usage: interleave.py ROUNDS WARMUP -- CMD... -- CMD... [-- ...]")
    devnull = os.open(os.devnull, os.O_RDWR)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
               (os.POSIX_SPAWN_DUP2, devnull, 2)]
    env = dict(os.environ)

    def once(argv):
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        t1 = time.perf_counter_ns()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"interleave.py: {' '.join(argv)} failed ({status})")
        return (t1 - t0) / 1e6

    times = [[] for _ in cmds]
    order = list(range(len(cmds)))
    for r in range(warmup + rounds):
        random.shuffle(order)
        got = {i: once(cmds[i]) for i in order}
        if r >= warmup:
            for i in order:
                times[i].append(got[i])
    out = []
    for i, c in enumerate(cmds):
        ratios = [t / f for t, f in zip(times[i], times[0])]
        # Also to the second command: bench/run passes two floors (dynamic and static).
        ratios2 = [t / f for t, f in zip(times[i], times[1])]
        out.append({
            "command": " ".join(c),
            "median_ms": statistics.median(times[i]),
            "ratio": statistics.median(ratios),
            "ratio2": statistics.median(ratios2),
        })
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
