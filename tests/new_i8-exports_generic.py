"""The export writer, the citation engine and the sitemap base name no app: apps bring theirs."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERIC = [
    "ijtech/citeformats.py",
    "ijtech/exports.py",
    "ijtech/sitemaps.py",
    "ijtech/source_exports.py",
    "ijtech/source_urls.py",
]
APP_WORDS = re.compile(
    r"\b(agreements?|milestones?|actors?|sectors?|party_links|model_name ==|"
    r"TREATY_KINDS|GOVERNMENT_KINDS)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", GENERIC)
def test_a_generic_module_names_no_app(path):
    text = (ROOT / path).read_text()
    assert APP_WORDS.findall(text) == []
