"""Run a command and print its peak resident memory (MiB) as the last line of stderr.

The benchmark starts commands through this small process: a child forked straight from the
benchmark would report the benchmark's own memory as its peak (Linux keeps the parent's
high-water mark across exec).
"""

import os
import subprocess
import sys

if __name__ == "__main__":
    child = subprocess.Popen(sys.argv[1:])
    _, status, usage = os.wait4(child.pid, 0)
    sys.stderr.write(f"\npeak_rss_kib={usage.ru_maxrss}\n")
    sys.exit(os.waitstatus_to_exitcode(status))
