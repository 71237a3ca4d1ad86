"""Times rvuimport against the pipelines people use instead, on the same release archive.

    compare_pandas.py bench --rvuimport BIN --archive ZIP [--curated DIR] [--runs N]
        runs, alternating, N times each: rvuimport (whole process: the CSVs parsed and the TXT
        files cross-checked against them, merged with the curated content, catalog written);
        the same with --verify all (every format parsed and cross-checked); pandas reading the
        five CSVs into SQLite; pandas with openpyxl reading the XLSX files into SQLite. Prints
        wall-clock medians, ratios to the default rvuimport run and peak resident memory.
    compare_pandas.py csv|xlsx ZIP OUT.sqlite
        one run of a pandas pipeline (used by bench, as its own process).

The pandas pipelines do no checks at all: every member's cells as text, into one table each.
"""
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile


def pandas_pipeline(kind, archive, output):
    import sqlite3

    import pandas as pd

    if os.path.exists(output):
        os.remove(output)
    connection = sqlite3.connect(output)
    with zipfile.ZipFile(archive) as zipped:
        for name in zipped.namelist():
            if not name.lower().endswith("." + kind):
                continue
            data = zipped.read(name)
            if kind == "csv":
                frame = pd.read_csv(io.BytesIO(data), header=None, dtype=str, encoding="latin-1",
                                    on_bad_lines="skip", engine="python" if b"\x1a" in data[-4:] else "c")
            else:
                frame = pd.read_excel(io.BytesIO(data), header=None, dtype=str, engine="openpyxl")
            frame.columns = [f"c{index}" for index in range(len(frame.columns))]
            table = os.path.splitext(os.path.basename(name))[0].replace(" ", "_")
            frame.to_sql(table, connection, index=False)
    connection.commit()
    connection.close()


def timed(command, cwd):
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed ({os.waitstatus_to_exitcode(status)}): {error[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def bench(arguments):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--rvuimport", required=True)
    parser.add_argument("--archive", required=True)
    parser.add_argument("--curated", default=os.path.join(os.path.dirname(__file__), "..", "Samples", "curated"))
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args(arguments)
    archive = os.path.abspath(options.archive)
    release = os.path.basename(archive).split("-")[0].split(".")[0].upper()
    folder = tempfile.mkdtemp(prefix="compare-pandas-")
    rvuimport = [os.path.abspath(options.rvuimport), "--release", release, "--source", archive,
                 "--curated", os.path.abspath(options.curated), "--output", os.path.join(folder, "rvuimport.sqlite")]
    default = "rvuimport (CSV, TXT cross-checked, merged, catalog)"
    commands = {
        default: rvuimport,
        "rvuimport --verify all (every format parsed and cross-checked)": rvuimport + ["--verify", "all"],
        "pandas, five CSVs into SQLite": [sys.executable, __file__, "csv", archive, os.path.join(folder, "csv.sqlite")],
        "pandas + openpyxl, five XLSX into SQLite": [
            sys.executable, __file__, "xlsx", archive, os.path.join(folder, "xlsx.sqlite")],
    }
    times = {name: [] for name in commands}
    memory = {name: [] for name in commands}
    for name, command in commands.items():  # one warm-up run each
        timed(command, folder)
    for _ in range(options.runs):
        for name, command in commands.items():
            elapsed, peak = timed(command, folder)
            times[name].append(elapsed)
            memory[name].append(peak)
    print(f"{archive}: {options.runs} alternating runs each, {os.cpu_count()} cores")
    baseline = statistics.median(times[default])
    for name in commands:
        median = statistics.median(times[name])
        print(f"  {name}: median {median * 1000:.0f} ms (min {min(times[name]) * 1000:.0f}, "
              f"max {max(times[name]) * 1000:.0f}), peak RSS {max(memory[name]):.0f} MB, "
              f"{median / baseline:.2f}x rvuimport's time")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "bench":
        bench(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] in ("csv", "xlsx"):
        pandas_pipeline(sys.argv[1], sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
