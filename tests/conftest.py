"""Shared test setup.

The results cache (tffix/cache.py) is off for the whole suite, in this process and in every
tffix it starts: a test that changes tffix's behaviour in-process (a monkeypatched rule, a
fault injected on disk) must see its module analysed, not an entry an earlier test stored.
tests/test_jobs_cache.py turns it back on where it tests it.
"""

import os

os.environ["TFFIX_NO_CACHE"] = "1"
