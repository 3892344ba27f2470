"""Rebuild the vendored fonts from Debian's Noto packages (developers only, never at run time).

    apt-get install fonts-noto-core fonts-noto-cjk
    .venv/bin/python -m palermo.documents.fonts.build_fonts

Noto Sans and Noto Naskh Arabic are copied as they are. Noto Sans CJK SC is taken out of
Debian's collection (``NotoSansCJK-Regular.ttc``) and cut down to the characters listed in
``README.md``: GB 2312 (its symbols and its 3,755 level-1 hanzi, the most used characters),
every Han character in Palermo's own sources and translations, and the Chinese names of
territories and languages in CLDR (Babel). The output is deterministic for the same inputs.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent.parent  # src/palermo
CORE = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SC_INDEX = 2  # JP, KR, SC, TC, HK, then the Mono faces
COPIED = ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
          "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"]
SUBSET_NAME = "NotoSansCJKsc-Regular-subset.otf"
SOURCES = {".py", ".po", ".html", ".csv", ".json", ".txt", ".md"}
HAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def gb2312(first_row: int, last_row: int) -> str:
    """The characters of GB 2312 rows first_row..last_row (rows 1-9 symbols, 16-55 level 1)."""
    chars = []
    for row in range(first_row, last_row + 1):
        for cell in range(1, 95):
            try:
                chars.append(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def palermo_han() -> str:
    """Every Han character and CJK punctuation in Palermo's sources and catalogues."""
    found: set[str] = set()
    for path in sorted(PACKAGE.rglob("*")):
        if HERE not in path.parents and path.suffix in SOURCES:
            found.update(HAN.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return "".join(sorted(found))


def cldr_han() -> str:
    from babel import Locale

    locale = Locale.parse("zh_Hans")
    text = "".join([*locale.territories.values(), *locale.languages.values(),
                    *locale.scripts.values()])
    return "".join(sorted(set(HAN.findall(text))))


def characters() -> str:
    ascii_ = "".join(chr(code) for code in range(0x20, 0x7F))
    return "".join(sorted(set(ascii_ + gb2312(1, 9) + gb2312(16, 55) + palermo_han()
                              + cldr_han())))


def main() -> int:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    missing = [str(p) for p in [*(CORE / name for name in COPIED), CJK] if not p.exists()]
    if missing:
        print("Missing (apt-get install fonts-noto-core fonts-noto-cjk):", *missing, sep="\n  ")
        return 1
    for name in COPIED:
        shutil.copyfile(CORE / name, HERE / name)
    font = TTCollection(str(CJK)).fonts[CJK_SC_INDEX]
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    text = characters()
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.save(str(HERE / SUBSET_NAME))
    (HERE / "cjk-characters.txt").write_text(text, encoding="utf-8")
    print(f"{SUBSET_NAME}: {len(text)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
