"""Settings for benchmark runs only: Palermo's settings with an extra bare view in the URLconf.

Started by ``bench/run.py`` with ``DJANGO_SETTINGS_MODULE=bench.settings`` and an environment
that points at the throwaway database under ``var/bench/``. Never used by the application.
"""

from palermo.settings import *  # noqa: F403
from palermo.settings import VAR_DIR

ROOT_URLCONF = "bench.urls"

# Message catalogues are copied from src/palermo/locale and compiled here by bench/run.py,
# so that translated pages are measured translated without writing anything under src/.
LOCALE_PATHS = [VAR_DIR / "locale"]
