"""`python -m bot.guard`: one JSON string per input line → one JSON object per output line:
{"secret": true|false, "findings": [{"kind": "...", "start": N, "end": N}]} (offsets in characters).
A line that is not a JSON string gets {"error": "..."} and the run goes on."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.guard.detector import Detector


def run(source: TextIO, sink: TextIO) -> int:
    detector = Detector()
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)
            if not isinstance(text, str):
                raise TypeError("expected a JSON string")
        except (ValueError, TypeError) as exc:
            sink.write(json.dumps({"error": f"line {number}: {exc}"}) + "\n")
            continue
        findings = detector.find(text)
        sink.write(json.dumps({"secret": bool(findings),
                               "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in findings]})
                   + "\n")
        sink.flush()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.stdin, sys.stdout))
