"""Draws Hearth's mark (a house with a flame at its heart) as favicon.svg and the PNG app icons.

Run from the repository root after changing the theme colour: `.venv/bin/python static/icons/make_icons.py [#rrggbb]`.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
DEFAULT_COLOUR = "#1d5c63"  # Config.THEME_COLOUR's embedded default
SUPERSAMPLE = 4  # drawn large then reduced, for smooth edges without an SVG renderer

# The mark in a unit square: a house, and a flame cut out of it in the background colour.
HOUSE = [(0.5, 0.14), (0.88, 0.48), (0.78, 0.48), (0.78, 0.86), (0.22, 0.86), (0.22, 0.48), (0.12, 0.48)]


def _flame(half_width: float, bottom: float, height: float, steps: int = 64) -> list[tuple[float, float]]:
    # A teardrop drawn out to a fine tip at the top: a flame.
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x = 0.5 + half_width * math.sin(t) * math.sin(t / 2) ** 2 / 0.65
        y = bottom - height * (1 + math.cos(t)) / 2
        points.append((x, y))
    return points


FLAME = _flame(0.13, 0.81, 0.33)
EMBER = _flame(0.06, 0.79, 0.15)  # the bright heart of the flame, in white


def _place(points, scale: float, size: float) -> list[tuple[float, float]]:
    # Scale about the centre of the square, then to pixels.
    return [((0.5 + (x - 0.5) * scale) * size, (0.5 + (y - 0.5) * scale) * size) for x, y in points]


def png(size: int, colour: str, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Launchers crop to any shape inside the central circle of 80%: fill edge to edge, keep the mark inside it.
        draw.rectangle((0, 0, big, big), fill=colour)
        scale = 0.72
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=colour)
        scale = 1.0
    draw.polygon(_place(HOUSE, scale, big), fill="white")
    draw.polygon(_place(FLAME, scale, big), fill=colour)
    draw.polygon(_place(EMBER, scale, big), fill="white")
    return image.resize((size, size), Image.LANCZOS)


def svg(colour: str) -> str:
    def pts(points):
        return " ".join(f"{x * 64:.1f},{y * 64:.1f}" for x, y in points)

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="11.5" fill="{colour}"/>'
        f'<polygon points="{pts(HOUSE)}" fill="#fff"/>'
        f'<polygon points="{pts(FLAME)}" fill="{colour}"/>'
        f'<polygon points="{pts(EMBER)}" fill="#fff"/>'
        "</svg>\n"
    )


def main(colour: str = DEFAULT_COLOUR) -> None:
    (HERE / "favicon.svg").write_text(svg(colour))
    png(192, colour, maskable=False).save(HERE / "icon-192.png", optimize=True)
    png(512, colour, maskable=False).save(HERE / "icon-512.png", optimize=True)
    png(512, colour, maskable=True).save(HERE / "icon-maskable-512.png", optimize=True)
    print(f"icons written to {HERE} in {colour}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
