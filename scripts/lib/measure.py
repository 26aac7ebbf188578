#!/usr/bin/env python3
"""Runs a command several times; prints median wall time and peak memory.

Wall times come from plain runs. Peak memory comes from one more run, the
largest sum of RSS over the command's whole process tree (sampled every
20 ms), so a tool that forks one ssh per host is charged for all of them, not
just its largest process; sampling costs CPU, so it never slows a timed run.

Usage: measure.py [--output FILE] [--machine-cpu] LABEL RUNS -- COMMAND...
(--output: the standard output and error of the last run, the memory run, go to
FILE, so a caller can check what the measured command reported without running
it once more.)
Prints: LABEL: median 1.23 s (min 1.20, max 1.31) over 5 runs, controller CPU 0.25 s, peak tree RSS 45.6 MB, exit 0
(controller CPU: user+system time of the command and every process it
waited for, e.g. pssh's ssh clients; the median over the runs). With
--machine-cpu, also the whole machine's CPU time during the timed runs
(/proc/stat, median): on the sandbox, minus the controller's, what the
hosts spent.
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def tree_rss_kb(root):
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
        except OSError:
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def machine_cpu_s():
    """CPU seconds the whole machine has spent since boot (every process, kernel work included)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def main():
    args = sys.argv[1:]
    output = None
    machine = False
    while args[0] in ("--output", "--machine-cpu"):
        if args[0] == "--output":
            output, args = args[1], args[2:]
        else:
            machine, args = True, args[1:]
    label, runs = args[0], int(args[1])
    cmd = args[args.index("--") + 1:]
    walls, cpus, machines, codes = [], [], [], set()
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine_before = machine_cpu_s()
        start = time.monotonic()
        codes.add(subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        walls.append(time.monotonic() - start)
        machines.append(machine_cpu_s() - machine_before)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    peak = 0
    sink = open(output, "w") if output else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT if output else subprocess.DEVNULL)
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.02)
    codes.add(proc.returncode)
    if output:
        sink.close()
    print(f"{label}: median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) "
          f"over {runs} runs, controller CPU {statistics.median(cpus):.2f} s, peak tree RSS {peak / 1024:.1f} MB"
          + (f", machine CPU {statistics.median(machines):.2f} s" if machine else "")
          + f", exit {','.join(map(str, sorted(codes)))}")


if __name__ == "__main__":
    main()
