"""The processor's model name, for the results of the bench and of the load test (standard
library only: ``bench/load.py`` runs without Django)."""

import platform
from pathlib import Path


def cpu_model():
    """The first « model name » of /proc/cpuinfo, else what ``platform`` knows (may be empty)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()
