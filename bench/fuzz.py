"""The long profile of the fuzzing test: `python bench/fuzz.py [EXAMPLES]` (default 20,000).

Runs tests/test_fuzz.py (random front matter and bodies through `site-builder check`, then a
build of everything `check` accepted) with many more examples than the test suite's 150, and
prints pytest's report (the number of accepted stories built is in its output).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    os.environ["GS_FUZZ_EXAMPLES"] = sys.argv[1] if len(sys.argv) > 1 else "20000"
    sys.exit(pytest.main([str(ROOT / "tests" / "test_fuzz.py"), "-o", "addopts=", "-p", "no:cacheprovider",
                          "-q", "-s", "-W", "ignore::hypothesis.errors.HypothesisWarning", "-x"]))
