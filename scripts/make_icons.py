"""Draw SIKIM's app icons into static/img/ (run once after changing the design; the PNGs are committed).

The design is static/img/sikim-icon.svg: a white broadcast sign, a dot between two pairs of
arcs, on SIKIM's blue (Pico's primary colour). The PNGs are drawn from the same numbers, four
times larger, then scaled down for smooth edges.

    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (1, 114, 173, 255)  # #0172ad
WHITE = (255, 255, 255, 255)
DESIGN = 512  # the SVG's viewBox
SUPERSAMPLE = 4
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def _sign(draw: ImageDraw.ImageDraw, scale: float, colour: tuple[int, int, int, int]) -> None:
    """The dot and the arcs (radius 100 and 170, stroke 36, ±45° either side), round-capped."""
    centre, stroke = 256 * scale, 36 * scale
    draw.ellipse([centre - 40 * scale, centre - 40 * scale, centre + 40 * scale, centre + 40 * scale], fill=colour)
    for radius in (100 * scale, 170 * scale):
        # Pillow strokes inwards from the box; the SVG strokes either side of the radius.
        outer = radius + stroke / 2
        box = [centre - outer, centre - outer, centre + outer, centre + outer]
        for start, end in ((-45, 45), (135, 225)):
            draw.arc(box, start, end, fill=colour, width=round(stroke))
        # Round caps: a disc at each end of each arc.
        offset = radius * 0.70710678
        for dx in (-offset, offset):
            for dy in (-offset, offset):
                x, y = centre + dx, centre + dy
                draw.ellipse([x - stroke / 2, y - stroke / 2, x + stroke / 2, y + stroke / 2], fill=colour)


def icon(size: int, *, rounded: bool, background: bool = True) -> Image.Image:
    """One icon, `size` pixels square."""
    big = DESIGN * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if background:
        radius = 96 * SUPERSAMPLE if rounded else 0
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=radius, fill=BLUE)
    _sign(draw, SUPERSAMPLE, WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def on_palette(image: Image.Image) -> Image.Image:
    """Two colours and their edges: a 32-colour palette keeps the file small for 3G."""
    return image.quantize(colors=32, method=Image.Quantize.FASTOCTREE)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    on_palette(icon(192, rounded=True)).save(OUT / "sikim-192.png", optimize=True)
    on_palette(icon(512, rounded=True)).save(OUT / "sikim-512.png", optimize=True)
    # Full-bleed: the phone cuts its own shape; the sign stays inside the central 80 %.
    on_palette(icon(512, rounded=False)).save(OUT / "sikim-maskable-512.png", optimize=True)
    on_palette(icon(180, rounded=False)).save(OUT / "apple-touch-icon.png", optimize=True)
    # Android draws the badge of a notification in one colour from its alpha: the sign alone,
    # with its alpha kept whole (no palette).
    icon(96, rounded=False, background=False).save(OUT / "sikim-badge-96.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
