"""What a serving process does when it stops, besides the front's own drain.

On SIGTERM or SIGINT the HTTP front (``front.py``) stops accepting and lets the requests
in flight finish for up to the grace period (``serve --grace``); then the process closes
its query executor (every worker killed and reaped) and stops the forkserver and resource
tracker that ``multiprocessing`` started, so no process is left behind.
"""

from __future__ import annotations

import multiprocessing.forkserver
import multiprocessing.resource_tracker

#: Seconds in-flight requests get after SIGTERM (``--grace``); a little over QUERY_TIMEOUT.
DEFAULT_GRACE = 15.0


def stop_multiprocessing_helpers() -> None:
    """Stop the forkserver and resource tracker processes, if this process started them."""
    for helper in (multiprocessing.forkserver._forkserver,
                   multiprocessing.resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)  # private in multiprocessing, present since 3.8
        try:
            if stop is not None:
                stop()
        except Exception:  # already stopped, or never started
            pass
