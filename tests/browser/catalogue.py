"""The portal's own English catalogue (locale/en), read from the compiled .mo, for the leftover-string check."""

import functools
import gettext
import re
from pathlib import Path

MO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@functools.cache
def translated_msgids() -> dict[str, tuple[re.Pattern, str]]:
    """msgid -> (a pattern that finds it in page text, its English msgstr). Placeholders match any words."""
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    found = {}
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgid or not msgstr:
            continue
        parts = [re.escape(p) for p in PLACEHOLDER.split(msgid)]
        if sum(len(p) for p in PLACEHOLDER.split(msgid)) < 3:
            continue
        found[msgid] = (re.compile(r"(?<!\w)" + r".+?".join(parts) + r"(?!\w)"), msgstr)
    return found
