"""The label every bench result carries (date, CPU model, cores, JDK, commit) and the CSV history it appends to.

Each script in bench/ writes its latest table to bench/results/NAME.md, headed by header_line(), and appends the
same rows, labelled, to bench/results/NAME.csv, so that the history of a number is one file to plot.
"""
import csv
import datetime
import os
import platform
import subprocess


def machine():
    """The machine and build a result belongs to."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            info = dict(line.split(":", 1) for line in f.read().split("\n\n")[0].splitlines() if ":" in line)
        info = {k.strip(): v.strip() for k, v in info.items()}
        vector = "AVX-512" if "avx512f" in info.get("flags", "").split() else "AVX2" if "avx2" in info.get("flags", "").split() else "no AVX2"
        cpu = f"{info.get('model name', cpu)} (family {info.get('cpu family', '?')}, model {info.get('model', '?')}, {vector})"
    except (OSError, ValueError):
        pass
    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "jdk": jdk[0] if jdk else "unknown",
        "commit": os.environ.get("BENCH_COMMIT", "unknown"),
    }


def header_line(m=None):
    m = m or machine()
    return f"Run {m['date']} UTC on {m['cores']} cores of {m['cpu']}, {m['jdk']}, commit {m['commit']}."


def append_csv(path, rows, m=None):
    """Appends rows (dicts with the same keys) to the CSV at path, each prefixed by the machine's columns."""
    m = m or machine()
    rows = [{**m, **r} for r in rows]
    if not rows:
        return
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerows(rows)
