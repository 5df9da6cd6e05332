"""Named points where a test may kill the process, to prove that a crash there loses nothing.

`KEYBOT_CRASH_AT=<name>` in the environment makes the process SIGKILL itself when it reaches that
point: no cleanup, no finally blocks, exactly like a power cut or the OOM killer. Unset, it costs one
dictionary lookup."""

from __future__ import annotations

import os
import signal

ENV = "KEYBOT_CRASH_AT"


def crashpoint(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
