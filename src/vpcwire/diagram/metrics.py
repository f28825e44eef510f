"""How wide a text is drawn, so the layout can size boxes without a browser or a font library.

The widths are DejaVu Sans's advance widths (the SVG's first font, Debian's default sans) in
thousandths of an em, read once from the font's ``hmtx`` table for printable ASCII and the few
symbols the diagram uses. Helvetica and Arial, the fallbacks, are narrower, so a box sized
here holds its text in any of them. Unknown characters count as one em.
"""

from __future__ import annotations

__all__ = ["FONT_FAMILY", "text_width"]

FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif"

# characters 32 (space) to 126 (~)
# fmt: off
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
    1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
    500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)
# fmt: on
_SYMBOLS = {
    "\u2713": 838,
    "\u2717": 838,
    "\u2192": 838,
    "\u2194": 838,
    "\u25a3": 945,
    "\u2026": 1000,
    "\u00b7": 318,
    "\u2014": 1000,
}
_SYMBOLS_BOLD = {
    "\u2713": 838,
    "\u2717": 838,
    "\u2192": 838,
    "\u2194": 838,
    "\u25a3": 945,
    "\u2026": 1000,
    "\u00b7": 380,
    "\u2014": 1000,
}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The drawn width of ``text`` in pixels at font size ``size``."""
    table, symbols = (_BOLD, _SYMBOLS_BOLD) if bold else (_REGULAR, _SYMBOLS)
    total = 0
    for ch in text:
        code = ord(ch)
        total += table[code - 32] if 32 <= code < 127 else symbols.get(ch, 1000)
    return total * size / 1000
