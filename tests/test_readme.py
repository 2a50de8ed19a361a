"""The README stands on its own in a clone: its links lead to files in this repository, and it and
docs/architecture.md name every package of the project."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PACKAGES = sorted(path.parent.name for path in (ROOT / "src" / "jamsosdesa").glob("*/apps.py"))


def test_the_docs_link_only_to_files_in_the_repository():
    assert (ROOT / "docs" / "architecture.md").is_file()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text, doc.name
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if not re.match(r"[a-z]+:", target):  # a relative link: to a file of this clone
                assert (doc.parent / target).resolve().is_relative_to(ROOT), (doc.name, target)
                assert (doc.parent / target).exists(), (doc.name, target)


def test_the_readme_and_the_architecture_name_every_package():
    assert {"core", "regions", "accounts", "participants", "contributions", "funding", "imports"} <= set(PACKAGES)
    for doc in (ROOT / "README.md", ROOT / "docs" / "architecture.md"):
        text = doc.read_text(encoding="utf-8")
        for package in PACKAGES:
            assert f"{package}/" in text or f"`{package}`" in text, (doc.name, package)
