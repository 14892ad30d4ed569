"""Runs one command and reports what it cost, as JSON on stdout.

Usage: python3 rusage.py STDOUT_FILE STDERR_FILE CWD TIMEOUT_S -- COMMAND...

TIMEOUT_S 0 means none; a command still running then is killed with its whole process group and
reported with "timeout": true.

wall: seconds from fork to exit of the command (Python's own start is not counted);
user/sys: CPU seconds of the command and every descendant it waited for;
maxrss_kb: the largest resident set of any one of those processes (getrusage RUSAGE_CHILDREN),
the same figure `/usr/bin/time -v` calls "Maximum resident set size".
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time


def main() -> None:
    out_path, err_path, cwd, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    if sys.argv[5] != "--":
        raise SystemExit("usage: rusage.py STDOUT STDERR CWD TIMEOUT_S -- COMMAND...")
    command = sys.argv[6:]
    timed_out = False
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, start_new_session=True
        )
        try:
            proc.wait(timeout=timeout if timeout > 0 else None)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    json.dump(
        {
            "timeout": timed_out,
            "code": proc.returncode,
            "wall": wall,
            "user": usage.ru_utime,
            "sys": usage.ru_stime,
            "maxrss_kb": usage.ru_maxrss,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
