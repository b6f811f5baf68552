"""What every chart shares: sizes, coordinates, label wrapping, colours and series styles.

Sizes are in SVG user units; every chart is ``WIDTH`` (400) wide, and the CSS
scales it to the column (``width: 100%``, capped on wide screens), so 15-unit
text stays about 12 px on a 360 px phone and 19 px at most on a desktop.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Width of every chart's viewBox, in user units.
WIDTH = 400
#: Font size of labels, and of ticks and values, in user units (see portal.css).
FONT = 15
SMALL = 13
#: Height of one line of label text.
LINE = 18
#: Estimated average glyph width in ems. Cyrillic and Latin text averages about
#: 0.55 em in most system fonts but DejaVu Sans (Debian's default) has 0.64 em
#: digits: estimating wide wraps a label early rather than letting it overflow.
CHAR = 0.64

INK = "#1b1f24"
BLACK = "#000000"
WHITE = "#ffffff"


def coord(value: float) -> float:
    """A coordinate rounded to one decimal, printed without a trailing ``.0``."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def extreme(items, choose):
    """The item with the highest (``max``) or lowest (``min``) known value, or None."""
    known = [item for item in items if item.value is not None]
    return choose(known, key=lambda item: item.value) if known else None


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of ``text`` at font ``size`` (no font metrics on the server)."""
    return len(text) * size * CHAR


def wrap(text: str, width: float, size: float = FONT) -> tuple[str, ...]:
    """Split ``text`` at spaces into lines that fit ``width`` at font ``size``.

    A single word longer than the line stays whole on its own line; labels are
    never cut short. Explicit newlines in ``text`` are kept.
    """
    limit = max(1, int(width / (size * CHAR)))
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= limit or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return tuple(lines)


# --- colours ---------------------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return max((BLACK, WHITE), key=lambda text: contrast_ratio(fill, text))


@dataclass(frozen=True)
class SeriesStyle:
    """How one series looks: never by colour alone, also by dash pattern and marker."""

    colour: str
    #: ``stroke-dasharray`` value, or None for a solid line.
    dash: str | None
    #: "circle", "square", "triangle" or "diamond" (shapes in the macros' <defs>).
    marker: str


#: Okabe–Ito colours (safe for the common colour-vision deficiencies), each at
#: least 3:1 against white (WCAG 1.4.11), with distinct dashes and markers.
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#0072b2", None, "circle"),
    SeriesStyle("#d55e00", "8 4", "square"),
    SeriesStyle("#009e73", "2 3", "triangle"),
    SeriesStyle("#cc79a7", "10 3 2 3", "diamond"),
)

#: The bar colour (Okabe–Ito blue, 5:1 against white).
BAR_COLOUR = "#0072b2"
