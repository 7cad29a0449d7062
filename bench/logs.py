"""The bench's progress messages: on stderr, so that stdout holds the table only."""

import sys


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)
