"""Settings for benchmark runs only: Palermo's settings with an extra bare view in the URLconf.

Started by ``bench/run.py`` with ``DJANGO_SETTINGS_MODULE=bench.settings`` and an environment
that points at the throwaway database under ``var/bench/``. Never used by the application.
"""

from palermo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
