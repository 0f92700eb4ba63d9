"""perfaudit: indicator rows from Chinese budget-performance documents."""

__version__ = "0.1.0"

from .errors import InputError  # noqa: E402
from .extract import extract_file  # noqa: E402

__all__ = ["InputError", "extract_file", "__version__"]
