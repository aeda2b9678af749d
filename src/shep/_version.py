"""shep's version and home: the one place each is written (pyproject.toml reads the version from here)."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/shep-dev/shep"
