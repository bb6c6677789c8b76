#!/usr/bin/env python3
"""Generate the placeholder photos used by the bundled demo content.

Every story cover (``cover.src``) and profile photo (``photo.src``) referenced from
``content/`` gets one landscape-like picture: sky gradient, sun, clouds, hills and a
foreground chosen from the photo's Vietnamese alt text and caption (tea hills for "chè",
rice fields for "lúa"/"ruộng", a river for "sông"/"cù lao", a flower road for "hoa", a
lotus pond for "sen", village roofs for "nhà"/"phố"...). Palettes vary per file.

The output is deterministic: the random generator is seeded from the image path, so
running the script twice produces byte-identical JPEGs (with the same Pillow version).
No text is drawn. Story covers are 1600x1000; photos of individual people
(``content/profiles/ca-nhan``) are portrait 1000x1400.

Usage:
    python scripts/make_demo_images.py            # write missing images
    python scripts/make_demo_images.py --force    # regenerate everything
    python scripts/make_demo_images.py --list     # show what would be generated
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
IMAGES = ROOT / "images"

LANDSCAPE = (1600, 1000)
PORTRAIT = (1000, 1400)
SCALE = 2  # draw at 2x, downsample for smooth edges
QUALITY = 82

RGB = tuple[int, int, int]


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Spec:
    src: str  # relative to images/
    alt: str  # lower-cased NFC alt text: chooses the scene
    caption: str  # lower-cased NFC caption: fallback for the scene
    portrait: bool

    @property
    def text(self) -> str:
        """Alt + caption: chooses the light (dawn, day, sunset, dusk, winter)."""
        return f"{self.alt} {self.caption}"

    @property
    def scene(self) -> str:
        return scene_for(self.alt) or scene_for(self.caption) or "hills"


# ![alt](src "caption") in a story body.
INLINE_IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+"([^"]*)")?\s*\)')


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    head = text[3:].split("\n---", 1)[0]
    data = yaml.safe_load(head) or {}
    return data if isinstance(data, dict) else {}


def collect_specs() -> list[Spec]:
    specs: dict[str, Spec] = {}
    for path in sorted(CONTENT.glob("stories/*/*.md")):
        photo = _front_matter(path).get("cover") or {}
        _add(specs, photo, portrait=False)
        for alt, src, caption in INLINE_IMAGE.findall(path.read_text(encoding="utf-8")):  # photos in the body
            _add(specs, {"src": src, "alt": alt, "caption": caption}, portrait=False)
    for path in sorted(CONTENT.glob("profiles/*/*.md")):
        photo = _front_matter(path).get("photo") or {}
        _add(specs, photo, portrait=path.parent.name == "ca-nhan")
    return list(specs.values())


def _add(specs: dict[str, Spec], photo: dict, portrait: bool) -> None:
    src = photo.get("src")
    if not src or src in specs:
        return
    alt, caption = (unicodedata.normalize("NFC", str(photo.get(k) or "")).lower() for k in ("alt", "caption"))
    specs[src] = Spec(src=src, alt=alt, caption=caption, portrait=portrait)


# --------------------------------------------------------------------------- colour helpers


def hsv(h: float, s: float, v: float) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, max(0.0, min(1.0, s)), max(0.0, min(1.0, v)))
    return (round(r * 255), round(g * 255), round(b * 255))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    t = max(0.0, min(1.0, t))
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def jitter(c: RGB, rng: random.Random, amount: int = 10) -> RGB:
    return tuple(max(0, min(255, x + rng.randint(-amount, amount))) for x in c)  # type: ignore[return-value]


def gradient(size: tuple[int, int], stops: list[tuple[float, RGB]]) -> Image.Image:
    """Vertical gradient through (position 0..1, colour) stops."""
    w, h = size
    column = Image.new("RGB", (1, 512))
    px = column.load()
    for y in range(512):
        t = y / 511
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if p0 <= t <= p1:
                px[0, y] = mix(c0, c1, (t - p0) / max(1e-6, p1 - p0))
                break
        else:
            px[0, y] = stops[-1][1] if t > stops[-1][0] else stops[0][1]
    return column.resize((w, h), Image.BILINEAR)


# --------------------------------------------------------------------------- palettes


@dataclass
class Palette:
    sky_top: RGB
    sky_horizon: RGB
    sun: RGB
    sun_glow: RGB
    show_sun: bool
    cloud: RGB
    far: RGB  # farthest mountains
    green: RGB  # vegetation base
    ground: RGB  # warm ground / road
    water: RGB
    light: float  # 0..1 overall brightness of the land


def palette_for(text: str, rng: random.Random) -> Palette:
    hue_shift = rng.uniform(-0.03, 0.03)
    g_hue = 0.25 + rng.uniform(-0.05, 0.04)  # greens between yellow-green and teal-green
    if any(k in text for k in ("hoàng hôn", "chiều", "cuối năm")):
        mood = "sunset"
    elif any(k in text for k in ("chạng vạng", "chập tối", "buổi tối", "sáng đèn")):
        mood = "dusk"
    elif any(k in text for k in ("mùa đông", "xám", "đầu năm mới những ngày")):
        mood = "winter"
    elif any(k in text for k in ("bình minh", "mặt trời mọc", "mặt trời đầu", "sớm", "nắng mai", "hồng tím")):
        mood = "dawn"
    else:
        mood = "day"

    if mood == "sunset":
        return Palette(
            sky_top=hsv(0.70 + hue_shift, 0.45, 0.45), sky_horizon=hsv(0.07 + hue_shift, 0.65, 1.0),
            sun=hsv(0.10, 0.35, 1.0), sun_glow=hsv(0.06, 0.7, 1.0), show_sun=True,
            cloud=hsv(0.98, 0.35, 0.95), far=hsv(0.80 + hue_shift, 0.30, 0.55),
            green=hsv(g_hue - 0.03, 0.55, 0.45), ground=hsv(0.08, 0.45, 0.55),
            water=hsv(0.05, 0.45, 0.85), light=0.65,
        )
    if mood == "dusk":
        return Palette(
            sky_top=hsv(0.66 + hue_shift, 0.60, 0.30), sky_horizon=hsv(0.08 + hue_shift, 0.45, 0.95),
            sun=hsv(0.13, 0.15, 1.0), sun_glow=hsv(0.10, 0.45, 0.95), show_sun=rng.random() < 0.5,
            cloud=hsv(0.75, 0.20, 0.65), far=hsv(0.70 + hue_shift, 0.35, 0.40),
            green=hsv(g_hue + 0.05, 0.45, 0.35), ground=hsv(0.07, 0.30, 0.45),
            water=hsv(0.62, 0.35, 0.55), light=0.5,
        )
    if mood == "winter":
        return Palette(
            sky_top=hsv(0.60 + hue_shift, 0.18, 0.72), sky_horizon=hsv(0.10, 0.08, 0.93),
            sun=hsv(0.12, 0.05, 1.0), sun_glow=hsv(0.12, 0.10, 0.98), show_sun=rng.random() < 0.6,
            cloud=hsv(0.60, 0.05, 0.92), far=hsv(0.60 + hue_shift, 0.12, 0.68),
            green=hsv(g_hue, 0.35, 0.52), ground=hsv(0.09, 0.25, 0.62),
            water=hsv(0.58, 0.15, 0.80), light=0.75,
        )
    if mood == "dawn":
        return Palette(
            sky_top=hsv(0.62 + hue_shift, 0.40, 0.78), sky_horizon=hsv(0.02 + hue_shift, 0.30, 1.0),
            sun=hsv(0.11, 0.20, 1.0), sun_glow=hsv(0.05, 0.45, 1.0), show_sun=True,
            cloud=hsv(0.97, 0.18, 1.0), far=hsv(0.68 + hue_shift, 0.18, 0.75),
            green=hsv(g_hue, 0.55, 0.60), ground=hsv(0.08, 0.35, 0.72),
            water=hsv(0.58, 0.25, 0.90), light=0.85,
        )
    return Palette(
        sky_top=hsv(0.58 + hue_shift, 0.55, 0.90), sky_horizon=hsv(0.55 + hue_shift, 0.15, 1.0),
        sun=hsv(0.14, 0.10, 1.0), sun_glow=hsv(0.14, 0.25, 1.0), show_sun=rng.random() < 0.7,
        cloud=(255, 255, 255), far=hsv(0.58 + hue_shift, 0.25, 0.78),
        green=hsv(g_hue, 0.60, 0.65), ground=hsv(0.08, 0.35, 0.78),
        water=hsv(0.55, 0.40, 0.88), light=1.0,
    )


def scene_for(text: str) -> str:
    """The scene a description asks for, '' when nothing matches."""
    if text.startswith(("dãy núi", "núi")) or "trùng điệp" in text:
        return "hills"
    if "chè" in text:
        return "tea"
    if "sen" in text.split() or "đầm sen" in text:
        return "lotus"
    if "hoa" in text.split() or "đường hoa" in text:
        return "flowers"
    if any(k in text for k in ("sông", "cù lao", "kênh")) and "lúa" not in text:
        return "river"
    if any(k in text for k in ("nhà", "phố", "trụ sở", "trường", "mái")):
        return "village"
    if any(k in text for k in ("lúa", "ruộng", "cánh đồng", "đồng")):
        return "rice"
    if any(k in text for k in ("núi", "đồi", "rừng", "vườn")):
        return "hills"
    return ""


# --------------------------------------------------------------------------- shapes


def ridge(width: int, base: float, amp: float, rng: random.Random, step: int = 8) -> list[tuple[float, float]]:
    """A mountain / hill outline: sum of sines with random phases, left to right."""
    waves = [(rng.uniform(0.6, 1.6) * (k + 1), rng.uniform(0, math.tau), amp / (k + 1) ** 1.3) for k in range(5)]
    pts = []
    for x in range(-step, width + 2 * step, step):
        t = x / width * math.pi
        y = base - sum(a * (0.5 + 0.5 * math.sin(f * t + p)) for f, p, a in waves)
        pts.append((float(x), y))
    return pts


def fill_below(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], bottom: int, color) -> None:
    draw.polygon(pts + [(pts[-1][0], bottom), (pts[0][0], bottom)], fill=color)


def soft_layer(size: tuple[int, int], base: RGB = (0, 0, 0)) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A transparent layer; `base` is the colour of its transparent pixels, so that blurring
    a shape drawn in that colour does not pull dark fringes in from the transparent area."""
    layer = Image.new("RGBA", size, base + (0,))
    return layer, ImageDraw.Draw(layer)


def blurred(layer: Image.Image, radius: float) -> Image.Image:
    """Gaussian blur done at quarter size (fast), then scaled back.

    Works band by band: Pillow resizes and blurs RGBA with premultiplied alpha, which turns
    fully transparent pixels black and leaves dark fringes around soft shapes.
    """
    w, h = layer.size
    small = (max(1, w // 4), max(1, h // 4))
    bands = [
        band.resize(small, Image.BILINEAR).filter(ImageFilter.GaussianBlur(radius / 4)).resize((w, h), Image.BILINEAR)
        for band in layer.split()
    ]
    return Image.merge("RGBA", bands)


def draw_tree(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, color: RGB, rng: random.Random) -> None:
    trunk = mix(color, (60, 40, 30), 0.6)
    draw.rectangle([x - size * 0.06, y - size * 0.5, x + size * 0.06, y], fill=trunk)
    for _ in range(5):
        dx, dy = rng.uniform(-0.35, 0.35) * size, rng.uniform(-0.95, -0.55) * size
        r = rng.uniform(0.22, 0.34) * size
        draw.ellipse([x + dx - r, y + dy - r, x + dx + r, y + dy + r], fill=jitter(color, rng, 8))


def draw_palm(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, color: RGB, rng: random.Random) -> None:
    lean = rng.uniform(-0.25, 0.25) * size
    top = (x + lean, y - size)
    trunk = mix(color, (90, 70, 50), 0.7)
    draw.line([(x, y), ((x + top[0]) / 2 + lean * 0.3, (y + top[1]) / 2), top], fill=trunk, width=max(2, int(size * 0.05)))
    for k in range(8):
        ang = math.pi * (0.05 + 0.9 * k / 7) + rng.uniform(-0.1, 0.1)
        length = size * rng.uniform(0.35, 0.5)
        mid = (top[0] + math.cos(ang) * length * 0.5, top[1] - math.sin(ang) * length * 0.35)
        end = (top[0] + math.cos(ang) * length, top[1] - math.sin(ang) * length * 0.2 + length * 0.25)
        draw.line([top, mid, end], fill=color, width=max(2, int(size * 0.045)))


def draw_house(draw: ImageDraw.ImageDraw, x: float, y: float, w: float, rng: random.Random, light: float) -> None:
    h = w * rng.uniform(0.45, 0.6)
    wall = mix(hsv(0.11, 0.12, 0.96), (40, 40, 60), 1 - light)
    roof = mix(hsv(rng.uniform(0.0, 0.04), rng.uniform(0.55, 0.75), rng.uniform(0.62, 0.8)), (40, 30, 50), 1 - light)
    draw.rectangle([x, y - h, x + w, y], fill=wall)
    over = w * 0.08
    draw.polygon([(x - over, y - h), (x + w + over, y - h), (x + w * 0.8, y - h - w * 0.32), (x + w * 0.2, y - h - w * 0.32)], fill=roof)
    door = mix(roof, (50, 35, 30), 0.5)
    draw.rectangle([x + w * 0.42, y - h * 0.6, x + w * 0.58, y], fill=door)
    if light < 0.6:  # lit windows at dusk
        win = hsv(0.12, 0.55, 1.0)
    else:
        win = mix(wall, (80, 90, 110), 0.45)
    for wx in (0.14, 0.70):
        draw.rectangle([x + w * wx, y - h * 0.62, x + w * (wx + 0.16), y - h * 0.34], fill=win)


# --------------------------------------------------------------------------- scene


def render(spec: Spec) -> Image.Image:
    seed = int(hashlib.sha256(spec.src.encode("utf-8")).hexdigest()[:16], 16)
    rng = random.Random(seed)
    out_w, out_h = PORTRAIT if spec.portrait else LANDSCAPE
    W, H = out_w * SCALE, out_h * SCALE
    pal = palette_for(spec.text, rng)
    scene = spec.scene

    horizon = H * (rng.uniform(0.50, 0.58) if spec.portrait else rng.uniform(0.48, 0.58))
    img = gradient((W, H), [(0.0, pal.sky_top), (horizon / H, pal.sky_horizon), (1.0, pal.sky_horizon)]).convert("RGBA")

    # sun with glow
    if pal.show_sun:
        sx = W * rng.uniform(0.2, 0.8)
        sy = horizon - H * rng.uniform(0.08, 0.3)
        r = min(W, H) * rng.uniform(0.045, 0.07)
        glow, gd = soft_layer((W, H), pal.sun_glow)
        gd.ellipse([sx - r * 4, sy - r * 4, sx + r * 4, sy + r * 4], fill=pal.sun_glow + (110,))
        img.alpha_composite(blurred(glow, r * 2.5))
        disc, dd = soft_layer((W, H))
        dd.ellipse([sx - r, sy - r, sx + r, sy + r], fill=pal.sun + (245,))
        img.alpha_composite(disc)

    # clouds
    clouds, cd = soft_layer((W, H), pal.cloud)
    for _ in range(rng.randint(3, 7)):
        cx, cy = rng.uniform(-0.1, 1.1) * W, rng.uniform(0.06, 0.8) * horizon
        cw = W * rng.uniform(0.10, 0.26)
        for _ in range(rng.randint(4, 7)):
            dx, dy = rng.uniform(-0.5, 0.5) * cw, rng.uniform(-0.12, 0.1) * cw
            rw, rh = cw * rng.uniform(0.25, 0.45), cw * rng.uniform(0.10, 0.2)
            cd.ellipse([cx + dx - rw, cy + dy - rh, cx + dx + rw, cy + dy + rh], fill=pal.cloud + (rng.randint(90, 170),))
    img.alpha_composite(blurred(clouds, W * 0.012))

    # distant mountain layers (atmospheric perspective)
    layers = rng.randint(2, 3)
    for i in range(layers):
        t = i / max(1, layers - 1)
        color = mix(mix(pal.far, pal.sky_horizon, 0.45), mix(pal.far, pal.green, 0.35), t)
        layer, ld = soft_layer((W, H))
        fill_below(ld, ridge(W, horizon + H * 0.02 * i, H * rng.uniform(0.10, 0.2) * (1 - 0.25 * t), rng), H, color + (255,))
        img.alpha_composite(layer)

    draw = ImageDraw.Draw(img)
    {"tea": scene_tea, "rice": scene_rice, "river": scene_river, "flowers": scene_flowers,
     "lotus": scene_lotus, "village": scene_village, "hills": scene_hills}[scene](img, draw, W, H, horizon, pal, rng, spec.text)

    # depth: land darkens slightly towards the viewer
    shade = gradient((W, H), [(0.0, (0, 0, 0)), (horizon / H, (0, 0, 0)), (1.0, (70, 70, 70))]).convert("L")
    img = Image.composite(Image.new("RGBA", (W, H), (25, 35, 20, 255)), img, shade)

    # gentle vignette
    vignette = Image.new("L", (W // 8, H // 8), 0)
    vd = ImageDraw.Draw(vignette)
    vd.ellipse([-W // 16 * 0.6, -H // 16 * 0.6, W // 8 + W // 16 * 0.6, H // 8 + H // 16 * 0.6], fill=255)
    vignette = vignette.filter(ImageFilter.GaussianBlur(W // 80)).resize((W, H), Image.BILINEAR)
    dark = Image.new("RGBA", (W, H), (20, 20, 35, 255))
    img = Image.composite(img, Image.blend(img, dark, 0.28), vignette)

    return img.convert("RGB").resize((out_w, out_h), Image.LANCZOS)


def scene_hills(img, draw, W, H, horizon, pal, rng, text) -> None:
    for i in range(3):
        color = mix(pal.green, (30, 50, 30), 0.12 * i)
        fill_below(draw, ridge(W, horizon + H * (0.08 + 0.1 * i), H * 0.08, rng), H, jitter(color, rng, 6))
        for _ in range(rng.randint(3, 8)):
            x = rng.uniform(0, W)
            draw_tree(draw, x, horizon + H * (0.12 + 0.1 * i) + rng.uniform(-10, 30), H * (0.05 + 0.03 * i), mix(pal.green, (20, 60, 30), 0.4), rng)
    # a winding path
    path = mix(pal.ground, pal.sky_horizon, 0.2)
    vx = W * rng.uniform(0.35, 0.65)
    pts_l, pts_r = [], []
    for k in range(21):
        t = k / 20
        y = horizon + H * 0.16 + (H - horizon - H * 0.16) * t
        cx = vx + math.sin(t * 3 + rng.random()) * W * 0.08 * t
        half = W * (0.004 + 0.09 * t * t)
        pts_l.append((cx - half, y))
        pts_r.append((cx + half, y))
    draw.polygon(pts_l + pts_r[::-1], fill=path)


def scene_tea(img, draw, W, H, horizon, pal, rng, text) -> None:
    base_green = mix(pal.green, hsv(0.30, 0.7, 0.55), 0.4)
    for i in range(3):
        top = ridge(W, horizon + H * (0.04 + 0.12 * i), H * rng.uniform(0.08, 0.14), rng, step=10)
        hill_color = jitter(mix(base_green, (255, 255, 200), 0.15 - 0.07 * i), rng, 6)
        mask = Image.new("L", (W, H), 0)
        fill_below(ImageDraw.Draw(mask), top, H, 255)
        hill = Image.new("RGBA", (W, H), hill_color + (255,))
        rows, rd = soft_layer((W, H))
        row_color = mix(hill_color, (10, 40, 15), 0.35)
        spacing = H * (0.012 + 0.008 * i)
        for k in range(1, 60):
            off = spacing * k * (1 + k * 0.04)
            pts = [(x, y + off) for x, y in top]
            rd.line(pts, fill=row_color + (255,), width=max(2, int(spacing * 0.45)))
        hill.alpha_composite(rows)
        img.paste(hill, (0, 0), mask)
    for _ in range(rng.randint(2, 5)):
        draw_tree(draw, rng.uniform(0, W), horizon + H * rng.uniform(0.06, 0.2), H * rng.uniform(0.06, 0.1), mix(pal.green, (20, 50, 20), 0.5), rng)


def scene_rice(img, draw, W, H, horizon, pal, rng, text) -> None:
    ripe = any(k in text for k in ("chín", "vàng", "gặt"))
    field = mix(pal.green, hsv(0.12, 0.75, 0.9 * pal.light + 0.1), 0.8) if ripe else pal.green
    a, b = jitter(field, rng, 6), mix(field, (255, 240, 120), 0.18)
    top = horizon + H * 0.05
    draw.rectangle([0, top, W, H], fill=a)
    vx = W * rng.uniform(0.3, 0.7)
    n = 26
    for k in range(-n, 2 * n):
        if k % 2:
            continue
        x0 = W * k / n
        x1 = W * (k + 1) / n
        draw.polygon([(vx, top), (x0 * 3 - vx * 2, H * 1.6), (x1 * 3 - vx * 2, H * 1.6)], fill=b)
    # paddy dividers (perspective spacing)
    y = top
    gap = H * 0.006
    divider = mix(a, (60, 70, 40), 0.35)
    while y < H:
        draw.line([(0, y), (W, y)], fill=divider, width=max(1, int(gap * 0.25)))
        y += gap
        gap *= 1.35
    # tree line on the horizon
    for _ in range(rng.randint(10, 20)):
        draw_tree(draw, rng.uniform(0, W), top + 2, H * rng.uniform(0.025, 0.05), mix(pal.green, (20, 50, 25), 0.55), rng)


def scene_river(img, draw, W, H, horizon, pal, rng, text) -> None:
    bank = jitter(pal.green, rng, 6)
    draw.rectangle([0, horizon + H * 0.04, W, H], fill=bank)
    top = horizon + H * rng.uniform(0.10, 0.14)
    bottom = top + H * rng.uniform(0.16, 0.22)
    up = [(x, top + math.sin(x / W * 4 + 1) * H * 0.012) for x in range(-10, W + 20, 20)]
    down = [(x, bottom + math.sin(x / W * 3) * H * 0.02) for x in range(W + 10, -20, -20)]
    draw.polygon(up + down, fill=pal.water)
    shine = mix(pal.water, (255, 255, 255), 0.35)
    for _ in range(40):
        x, y = rng.uniform(0, W), rng.uniform(top + 10, bottom - 10)
        draw.line([(x, y), (x + rng.uniform(20, 120), y)], fill=shine, width=2)
    palm = mix(pal.green, (15, 60, 30), 0.45)
    for _ in range(rng.randint(7, 12)):  # palms on the far island
        draw_palm(draw, rng.uniform(0, W), top + 4, H * rng.uniform(0.08, 0.14), palm, rng)
    near = mix(bank, (20, 50, 20), 0.25)
    fill_below(draw, ridge(W, bottom + H * 0.1, H * 0.05, rng), H, near)
    for _ in range(rng.randint(2, 4)):
        draw_palm(draw, rng.uniform(0, W), H * rng.uniform(0.88, 0.98), H * rng.uniform(0.2, 0.3), palm, rng)


def scene_flowers(img, draw, W, H, horizon, pal, rng, text) -> None:
    grass = jitter(pal.green, rng, 6)
    top = horizon + H * 0.05
    draw.rectangle([0, top, W, H], fill=grass)
    for _ in range(rng.randint(6, 12)):
        draw_tree(draw, rng.uniform(0, W), top + 4, H * rng.uniform(0.05, 0.09), mix(pal.green, (20, 50, 25), 0.5), rng)
    vx = W * rng.uniform(0.42, 0.58)
    road = mix(pal.ground, (200, 200, 200), 0.3)
    left = [(vx - W * 0.008, top), (vx - W * 0.32, H)]
    right = [(vx + W * 0.008, top), (vx + W * 0.32, H)]
    draw.polygon([left[0], right[0], right[1], left[1]], fill=road)
    colours = [hsv(0.0, 0.75, 0.95), hsv(0.13, 0.85, 1.0), hsv(0.92, 0.55, 0.98), hsv(0.07, 0.8, 1.0), (255, 255, 245)]
    for side in (-1, 1):
        for _ in range(2600):
            t = rng.random() ** 0.7  # more flowers near the viewer
            y = top + (H - top) * t
            edge = vx + side * (W * 0.008 + W * 0.312 * t)
            x = edge + side * rng.uniform(0.0, 0.4) * W * (0.15 + t)
            r = 1.5 + 9 * t * rng.uniform(0.5, 1.2)
            c = jitter(rng.choice(colours), rng, 12)
            if rng.random() < 0.35:
                c = mix(grass, (10, 60, 20), 0.4)  # leaves
            draw.ellipse([x - r, y - r, x + r, y + r], fill=c)


def scene_lotus(img, draw, W, H, horizon, pal, rng, text) -> None:
    bank = jitter(pal.green, rng, 6)
    draw.rectangle([0, horizon + H * 0.03, W, H], fill=bank)
    for _ in range(rng.randint(2, 4)):  # roofs behind the pond
        draw_house(draw, rng.uniform(0.05, 0.8) * W, horizon + H * 0.09, W * rng.uniform(0.08, 0.12), rng, pal.light)
    palm = mix(pal.green, (15, 60, 30), 0.45)
    for _ in range(rng.randint(4, 8)):  # areca palms
        draw_palm(draw, rng.uniform(0, W), horizon + H * 0.09, H * rng.uniform(0.12, 0.2), palm, rng)
    top = horizon + H * 0.12
    draw.rectangle([0, top, W, H], fill=mix(pal.water, pal.green, 0.35))
    leaf = mix(pal.green, (20, 90, 40), 0.35)
    for _ in range(420):
        t = rng.random() ** 0.8
        y = top + (H - top) * t
        x = rng.uniform(-0.05, 1.05) * W
        rw = 6 + 60 * t
        draw.ellipse([x - rw, y - rw * 0.4, x + rw, y + rw * 0.4], fill=jitter(leaf, rng, 14))
        if rng.random() < 0.12:
            pr = 4 + 18 * t
            pink = jitter(hsv(0.93, 0.45, 0.98), rng, 10)
            draw.polygon([(x, y - rw * 0.4 - pr * 2), (x - pr, y - rw * 0.4 - pr * 0.6), (x + pr, y - rw * 0.4 - pr * 0.6)], fill=pink)


def scene_village(img, draw, W, H, horizon, pal, rng, text) -> None:
    ground = jitter(pal.green, rng, 6)
    top = horizon + H * 0.05
    draw.rectangle([0, top, W, H], fill=ground)
    tree = mix(pal.green, (20, 50, 25), 0.45)
    base = top + H * rng.uniform(0.08, 0.12)
    x = rng.uniform(-0.05, 0.05) * W
    while x < W:
        if rng.random() < 0.6:
            w = W * rng.uniform(0.07, 0.13)
            draw_house(draw, x, base + rng.uniform(-6, 6), w, rng, pal.light)
            x += w + W * rng.uniform(0.02, 0.05)
        else:
            draw_tree(draw, x + W * 0.03, base, H * rng.uniform(0.09, 0.14), tree, rng)
            x += W * rng.uniform(0.04, 0.07)
    # road in front of the houses
    road = mix(pal.ground, (210, 205, 195), 0.35)
    draw.polygon([(0, base + H * 0.02), (W, base + H * 0.01), (W, base + H * 0.07), (0, base + H * 0.09)], fill=road)
    fill_below(draw, ridge(W, H * 0.97, H * 0.04, rng), H, mix(ground, (20, 50, 20), 0.2))
    for _ in range(rng.randint(1, 3)):
        draw_tree(draw, rng.choice([rng.uniform(0, 0.18), rng.uniform(0.82, 1.0)]) * W, H * 1.0, H * rng.uniform(0.3, 0.42), tree, rng)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="regenerate existing images")
    ap.add_argument("--list", action="store_true", help="only list the images and scenes")
    args = ap.parse_args(argv)

    specs = collect_specs()
    written = 0
    for spec in specs:
        target = IMAGES / spec.src
        if args.list:
            print(f"{spec.src:75} {'portrait ' if spec.portrait else 'landscape'} {spec.scene}")
            continue
        if target.exists() and not args.force:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        render(spec).save(target, "JPEG", quality=QUALITY, optimize=True, progressive=True)
        written += 1
        print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB, {spec.scene})")
    if not args.list:
        total = sum((IMAGES / s.src).stat().st_size for s in specs if (IMAGES / s.src).exists())
        print(f"{len(specs)} images referenced, {written} written, {total / 1e6:.1f} MB in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
