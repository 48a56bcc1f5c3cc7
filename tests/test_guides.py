"""The user guides (docs/guide-*.md) and their screenshots (docs/img/) fit together.

Cheap file checks only: the screenshots themselves are taken by `make guides`
(docs/screenshots.py), never by the test suite.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
IMG = DOCS / "img"
GUIDES = sorted(DOCS.glob("guide-*.md"))
ROLES = ("resident", "social-worker", "provider", "community-worker", "coordinator")

IMAGE_REF = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
# Screenshots named in the script: shot(page, "name", …) and print_shot(run, page, "name", …).
SHOT = re.compile(r"\b(?:print_)?shot\(\s*(?:run,\s*)?page,\s*\"([a-z0-9-]+)\"")

MAX_WIDTH = 1280
MAX_HEIGHT = 1700  # the script cuts elements at 1600 px (plus margins)


def image_refs(guide: Path) -> list[tuple[str, str]]:
    return IMAGE_REF.findall(guide.read_text(encoding="utf-8"))


def referenced() -> set[str]:
    return {target for guide in GUIDES for _alt, target in image_refs(guide)}


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in HEADING.findall(path.read_text(encoding="utf-8"))}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG file"
    return struct.unpack(">II", data[16:24])


def test_every_role_has_a_guide():
    assert [p.name for p in GUIDES] == sorted(f"guide-{role}.md" for role in ROLES)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_references_only_existing_images(guide):
    refs = image_refs(guide)
    assert refs, f"{guide.name} has no screenshots"
    for alt, target in refs:
        assert target.startswith("img/") and target.endswith(".png"), (
            f"{guide.name}: {target} is not a picture in img/"
        )
        assert (DOCS / target).is_file(), f"{guide.name}: {target} does not exist"
        assert alt.strip(), f"{guide.name}: {target} has no alternative text"


def test_every_image_is_used_by_a_guide():
    unused = sorted(f"img/{p.name}" for p in IMG.glob("*") if f"img/{p.name}" not in referenced())
    assert unused == [], f"pictures no guide uses (delete them or use them): {unused}"


def test_the_script_takes_exactly_the_pictures_the_guides_use():
    script = (DOCS / "screenshots.py").read_text(encoding="utf-8")
    taken = {f"img/{name}.png" for name in SHOT.findall(script)}
    assert taken, "no screenshots found in docs/screenshots.py"
    assert sorted(referenced() - taken) == [], "used by a guide, never taken by the script"
    assert sorted(taken - referenced()) == [], "taken by the script, used by no guide"


def test_images_are_cropped():
    for path in sorted(IMG.glob("*.png")):
        width, height = png_size(path)
        assert width <= MAX_WIDTH and height <= MAX_HEIGHT, (
            f"{path.name} is {width}×{height}: crop it to the part the guide talks about"
        )


@pytest.mark.parametrize("guide", [*GUIDES, DOCS / "README.md"], ids=lambda p: p.name)
def test_links_between_documents_resolve(guide):
    for target in LINK.findall(guide.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):  # http:, mailto:
            continue
        name, _, anchor = target.partition("#")
        path = (guide.parent / name) if name else guide
        assert path.exists(), f"{guide.name}: link to missing {name}"
        if anchor:
            assert anchor in anchors(path), f"{guide.name}: no heading for #{anchor} in {path.name}"
