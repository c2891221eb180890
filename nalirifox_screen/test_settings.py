"""The tests' settings: settings.py with DEBUG=1 unless the environment says otherwise.

settings.py fails closed (DEBUG missing means production, which needs a real SECRET_KEY), so the
tests ask for the development settings explicitly, as `make run` does. Tests of the production
configuration start their own processes with DEBUG=0.
"""

import os

os.environ.setdefault("DEBUG", "1")

from nalirifox_screen.settings import *  # noqa: E402, F403
