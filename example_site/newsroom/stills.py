"""The demo's posters: stills that look like the footage they stand for, drawn
here with Pillow alone, so that the demo ships no third-party image and no
binary file.

Each record names a scene (demo_content.EVIDENCE, "poster"). A scene is drawn
like a phone or camera frame would record it: a hazy sky, terrain, buildings,
trees, tents, vehicles and people as small dark shapes at a distance (never a
face, never anything graphic), then the camera's faults: softness, a little
motion blur, vignetting, sensor noise and film grain, and JPEG compression.

Every poster is 960 x 540, the shape the package's default ``POSTER_FILTER``
(``fill-960x540``) keeps whole. A record the reader sees in a portrait box
(its provider's aspect ratio is "4-5" or "9-16": a phone video shared on
Telegram or X) gets a vertical 9:16 frame in the middle of that canvas, over a
blurred and darkened copy of itself, as vertical footage looks once shared in a
landscape player; the portrait box shows the whole frame. The others get a
16:9 frame.

The drawing is seeded by the scene's name: the same scene gives the same bytes
on every run with the same Pillow (tests/demo/test_stills.py).
"""

import io
import math
import random
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter


WIDTH, HEIGHT = 960, 540
PORTRAIT_RATIOS = frozenset({"4-5", "9-16"})  # shown in a portrait box: a phone's frame
SUPERSAMPLE = 2  # scenes are drawn at twice the size, then scaled down: no jagged edges


@dataclass(frozen=True)
class Scene:
    name: str
    draw: object  # draw(canvas)
    has_figures: bool  # whether any person appears in it (at a distance, as a shape)
    emblem: bool = False  # the footage carries a unit's logo, top right


def mix(colour, other, amount):
    """``colour`` moved towards ``other`` by ``amount`` (0 to 1)."""
    return tuple(
        round(a + (b - a) * amount) for a, b in zip(colour, other, strict=True)
    )


def shade(colour, factor):
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


class Canvas:
    """A frame being drawn, with its own random numbers and a horizon."""

    def __init__(self, scene, size):
        # Seeded by the scene's name: a picture, not a secret.
        self.rng = random.Random(f"wagtail-evidence-demo-still:{scene}")  # noqa: S311
        self.w, self.h = size
        self.image = Image.new("RGB", size)
        self.draw = ImageDraw.Draw(self.image)
        self.haze = (200, 196, 186)
        self.horizon = round(self.h * 0.45)

    # -- numbers -------------------------------------------------------------

    def jitter(self, colour, amount=10):
        return tuple(
            max(0, min(255, c + self.rng.randint(-amount, amount))) for c in colour
        )

    @classmethod
    def fractal_of(cls, rng, size, base, low, high):
        canvas = cls.__new__(cls)
        canvas.rng = rng
        return canvas.fractal(size, base, 3, low, high)

    def noise(self, size, cells, low=0, high=255):
        """Smooth value noise: ``cells`` random values, scaled up to ``size``."""
        cw, ch = max(2, cells[0]), max(2, cells[1])
        small = Image.frombytes("L", (cw, ch), self.rng.randbytes(cw * ch))
        if (low, high) != (0, 255):
            small = small.point(lambda v: low + v * (high - low) // 255)
        return small.resize(size, Image.Resampling.BICUBIC)

    def fractal(self, size, base, octaves=4, low=0, high=255, stretch=1.0):
        """Octaves of value noise, ``base`` cells across at the coarsest;
        ``stretch`` above 1 flattens the cells, like ground seen far off."""
        w, h = size
        scale = min(1.0, 200 / max(w, h))  # noise is smooth: made small, scaled up
        small = (max(2, round(w * scale)), max(2, round(h * scale)))

        def cells(across):
            return (across, max(2, round(across * h / max(1, w) * stretch)))

        image = self.noise(small, cells(base))
        across = base
        for octave in range(1, octaves):
            across *= 2
            image = Image.blend(
                image, self.noise(small, cells(across)), 1 / (octave + 1.6)
            )
        image = ImageEnhance.Contrast(image).enhance(2.2)
        if (low, high) != (0, 255):
            image = image.point(lambda v: low + v * (high - low) // 255)
        return image.resize(size, Image.Resampling.BILINEAR)

    def ridge(self, y, amplitude, cells, smooth=2):
        """A skyline of hills: points from left to right around ``y``."""
        values = [self.rng.uniform(-1, 1) for _ in range(cells + 1)]
        for _ in range(smooth):
            values = [
                (values[max(0, i - 1)] + 2 * v + values[min(len(values) - 1, i + 1)])
                / 4
                for i, v in enumerate(values)
            ]
        points = []
        steps = 96
        for step in range(steps + 1):
            t = step / steps * cells
            i = min(int(t), cells - 1)
            f = t - i
            f = f * f * (3 - 2 * f)
            v = values[i] * (1 - f) + values[i + 1] * f
            v += self.rng.uniform(-0.04, 0.04)
            points.append((self.w * step / steps, y + v * amplitude))
        return points

    # -- painting ------------------------------------------------------------

    def vertical(self, stops, top=0, bottom=None):
        """Fill rows ``top`` to ``bottom`` with a gradient through ``stops``,
        a list of (position 0..1, colour)."""
        bottom = self.h if bottom is None else bottom
        rows = max(1, bottom - top)
        column = []
        for row in range(rows):
            t = row / max(1, rows - 1)
            for (p0, c0), (p1, c1) in pairwise(stops):
                if p0 <= t <= p1:
                    column.append(mix(c0, c1, (t - p0) / max(1e-6, p1 - p0)))
                    break
            else:
                column.append(stops[-1][1])
        strip = Image.new("RGB", (1, rows))
        strip.putdata(column)
        strip = strip.resize((16, rows), Image.Resampling.NEAREST)  # two steps: faster
        self.image.paste(
            strip.resize((self.w, rows), Image.Resampling.NEAREST), (0, top)
        )

    def sky(self, top, horizon, sun=None):
        self.vertical(
            [(0, top), (0.7, mix(top, horizon, 0.75)), (1, horizon)],
            0,
            self.horizon + 2,
        )
        if sun is not None:  # a glare where the sun is, off the frame or in it
            self.glow(sun, self.w * 0.9, (255, 250, 236), 0.55)

    def glow(self, centre, radius, colour, strength):
        mask = Image.radial_gradient("L").resize(
            (round(radius * 2),) * 2, Image.Resampling.BILINEAR
        )
        mask = mask.point(lambda v: round(max(0, 255 - v * 1.42) * strength))
        self.image.paste(
            colour, (round(centre[0] - radius), round(centre[1] - radius)), mask
        )

    def texture(self, box, low, high, base, stretch=1.0, octaves=4):
        """Multiply ``box`` (left, top, right, bottom) by fractal noise."""
        left, top, right, bottom = (round(v) for v in box)
        size = (max(1, right - left), max(1, bottom - top))
        grey = self.fractal(size, base, octaves, low, high, stretch)
        region = self.image.crop((left, top, right, bottom))
        region = ImageChops.multiply(region, Image.merge("RGB", (grey, grey, grey)))
        self.image.paste(region, (left, top))

    def layer(self, colour, mask, opacity=1.0):
        if opacity < 1:
            mask = mask.point(lambda v: round(v * opacity))
        self.image.paste(colour, (0, 0), mask)

    def polygon_mask(self, points, blur=0):
        mask = Image.new("L", (self.w, self.h))
        ImageDraw.Draw(mask).polygon(points, fill=255)
        return mask.filter(ImageFilter.GaussianBlur(blur)) if blur else mask

    def land(self, points, colour, texture=(150, 255), base=12, bottom=None):
        """Fill below the skyline ``points`` with ``colour``, textured."""
        bottom = self.h if bottom is None else bottom
        outline = [*points, (self.w, bottom), (0, bottom)]
        mask = self.polygon_mask(outline)
        fill = Image.new("RGB", (self.w, self.h), colour)
        grey = self.fractal((self.w, self.h), base, 4, *texture, stretch=3)
        fill = ImageChops.multiply(fill, Image.merge("RGB", (grey, grey, grey)))
        self.image.paste(fill, (0, 0), mask)

    def haze_band(self, y, depth, colour=None, strength=0.6):
        """Mist that thickens towards the horizon line ``y``."""
        colour = colour or self.haze
        mask = Image.new("L", (1, self.h))
        mask.putdata(
            [
                round(255 * strength * math.exp(-abs(row - y) / depth))
                for row in range(self.h)
            ]
        )
        self.image.paste(
            colour, (0, 0), mask.resize((16, self.h)).resize((self.w, self.h))
        )

    def cloud(self, centre, size, colour, opacity, seed_cells=6):
        """A blurred puff of dust or smoke."""
        width, height = (max(4, round(v)) for v in size)
        grey = self.fractal((width, height), seed_cells, 3)
        shape = (
            Image.radial_gradient("L")
            .resize((width, height), Image.Resampling.BILINEAR)
            .point(lambda v: max(0, 255 - v * 2))
        )
        mask = ImageChops.multiply(grey, shape).point(lambda v: min(255, v * 2))
        mask = mask.filter(ImageFilter.GaussianBlur(max(1, width / 30)))
        mask = mask.point(lambda v: round(v * opacity))
        self.image.paste(
            colour, (round(centre[0] - width / 2), round(centre[1] - height / 2)), mask
        )

    @contextmanager
    def defocus(self, radius):
        """Draw what is inside the block out of focus: near things, or dust."""
        base = self.image
        self.image = base.copy()
        self.draw = ImageDraw.Draw(self.image)
        yield
        drawn, self.image = self.image, base
        self.draw = ImageDraw.Draw(base)
        mask = (
            ImageChops.difference(drawn, base)
            .convert("L")
            .point(lambda v: 255 if v > 2 else 0)
        )
        box = mask.getbbox()
        if box is None:
            return
        pad = round(radius * 2)
        box = (
            max(0, box[0] - pad),
            max(0, box[1] - pad),
            min(self.w, box[2] + pad),
            min(self.h, box[3] + pad),
        )
        size = (box[2] - box[0], box[3] - box[1])
        small = (max(1, size[0] // 4), max(1, size[1] // 4))

        def soften(picture):
            blurred = picture.crop(box).resize(small, Image.Resampling.BOX)
            blurred = blurred.filter(ImageFilter.GaussianBlur(radius / 4))
            return blurred.resize(size, Image.Resampling.BILINEAR)

        base.paste(soften(drawn), box[:2], soften(mask))

    def patches(self, box, colour, base, amount, threshold=140):
        """Patches of another colour over the ground: dry grass, bare earth."""
        left, top, right, bottom = (round(v) for v in box)
        size = (max(1, right - left), max(1, bottom - top))
        mask = self.fractal(size, base, 3, stretch=3).point(
            lambda v: round(amount * 255 * min(1, max(0, (v - threshold) / 40)))
        )
        self.image.paste(colour, (left, top, right, bottom), mask)

    # -- things --------------------------------------------------------------

    def depth_colour(self, colour, y):
        """``colour`` fading into the haze the nearer ``y`` is to the horizon."""
        distance = 1 - min(1, max(0, (y - self.horizon) / (self.h - self.horizon)))
        return mix(colour, self.haze, 0.6 * distance**3)

    def person(self, x, base, height, colour, pose="stand", rifle=False, facing=1):
        """A figure at a distance, as a dark shape: head, body, arms, legs."""
        d = self.draw
        r = height * 0.068
        head_y = base - height + r
        neck = head_y + r
        shoulder_w = height * 0.13
        hip_y = base - height * 0.47
        hip_w = height * 0.095
        d.ellipse((x - r, head_y - r, x + r, head_y + r * 1.1), fill=colour)
        d.polygon(
            [
                (x - shoulder_w, neck + r * 0.4),
                (x + shoulder_w, neck + r * 0.4),
                (x + hip_w, hip_y),
                (x - hip_w, hip_y),
            ],
            fill=colour,
        )
        d.ellipse((x - shoulder_w, neck, x + shoulder_w, neck + r * 1.2), fill=colour)
        stride = {"stand": 0.03, "walk": 0.11, "crouch": 0.14}.get(pose, 0.05) * height
        leg = height * 0.055
        for side in (-1, 1):
            foot_x = x + side * (hip_w * 0.6 + stride)
            d.polygon(
                [
                    (x + side * hip_w * 0.15, hip_y - 2),
                    (x + side * (hip_w + 1), hip_y - 2),
                    (foot_x + side * leg * 0.6, base),
                    (foot_x - side * leg * 0.6, base),
                ],
                fill=colour,
            )
        arm = height * 0.05
        for side in (-1, 1):
            sx = x + side * shoulder_w * 0.92
            sy = neck + r * 0.8
            if pose == "raise" and side == facing:
                hand = (sx + side * height * 0.08, sy - height * 0.33)
            elif pose == "wave" and side == facing:
                hand = (sx + side * height * 0.24, sy - height * 0.2)
            else:
                hand = (sx + side * height * 0.04, hip_y + height * 0.05)
            d.line([(sx, sy), hand], fill=colour, width=max(1, round(arm)))
            d.ellipse(
                (
                    hand[0] - arm / 2,
                    hand[1] - arm / 2,
                    hand[0] + arm / 2,
                    hand[1] + arm / 2,
                ),
                fill=colour,
            )
        if rifle:
            d.line(
                [
                    (x - facing * height * 0.12, hip_y + height * 0.02),
                    (x + facing * height * 0.3, neck - height * 0.02),
                ],
                fill=colour,
                width=max(1, round(height * 0.028)),
            )

    def pickup(self, x, base, length, body, riders=0, facing=1, rider_colour=None):
        """A 4x4 pick-up truck side on, with men standing in its bed."""
        d = self.draw
        L = length

        def at(u, v):  # u along the truck from its tail, v up from the ground
            return (x + facing * (u - 0.5) * L, base - v * L)

        rider_colour = rider_colour or shade(body, 0.25)
        for i in range(riders):
            u = 0.08 + 0.34 * (i + 0.5) / max(1, riders)
            hx, hy = at(u, 0.2)
            pose = "raise" if i % 2 == 0 else "stand"
            self.person(
                hx,
                hy,
                L * 0.36,
                self.jitter(rider_colour, 6),
                pose=pose,
                rifle=i % 2 == 1,
            )
        dark = shade(body, 0.55)
        glass = mix(shade(body, 0.2), self.haze, 0.15)
        d.polygon([at(0, 0.09), at(1.0, 0.09), at(1.0, 0.27), at(0.0, 0.27)], fill=body)
        d.polygon(
            [at(0.46, 0.27), at(0.46, 0.42), at(0.70, 0.42), at(0.80, 0.28)], fill=body
        )
        d.polygon(
            [at(0.49, 0.29), at(0.49, 0.39), at(0.68, 0.39), at(0.76, 0.29)], fill=glass
        )
        d.line(
            [at(0.60, 0.29), at(0.60, 0.39)], fill=body, width=max(1, round(L * 0.012))
        )
        d.rectangle(
            sorted_box(at(0.0, 0.09), at(1.0, 0.12)), fill=dark
        )  # sill and bumpers
        d.line(
            [at(0.0, 0.265), at(0.45, 0.265)],
            fill=shade(body, 1.12),
            width=max(1, round(L * 0.01)),
        )
        for u in (0.2, 0.82):
            cx, cy = at(u, 0.085)
            r = L * 0.085
            d.ellipse(
                (cx - r * 1.25, cy - r * 1.25, cx + r * 1.25, cy + r * 0.4), fill=dark
            )
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(22, 21, 20))
            d.ellipse(
                (cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45),
                fill=shade(body, 0.5),
            )
        shadow = at(0.5, 0)
        d.ellipse(
            (
                shadow[0] - L * 0.55,
                shadow[1] - L * 0.012,
                shadow[0] + L * 0.55,
                shadow[1] + L * 0.03,
            ),
            fill=shade(
                self.image.getpixel(
                    (
                        max(0, min(self.w - 1, round(shadow[0]))),
                        min(self.h - 1, round(shadow[1] + L * 0.05)),
                    )
                ),
                0.55,
            ),
        )

    def tree(self, x, base, height, colour):
        d = self.draw
        trunk = shade(colour, 0.7)
        d.line(
            [(x, base), (x + height * 0.02, base - height * 0.45)],
            fill=trunk,
            width=max(1, round(height * 0.05)),
        )
        for _ in range(9):
            cx = x + self.rng.uniform(-0.28, 0.28) * height
            cy = base - height * self.rng.uniform(0.5, 0.85)
            r = height * self.rng.uniform(0.16, 0.26)
            d.ellipse(
                (cx - r, cy - r * 0.85, cx + r, cy + r * 0.85),
                fill=self.jitter(colour, 8),
            )

    def tent(self, x, base, width, colour):
        """A frame tent, three-quarters on: a shaded gable end, a low side
        wall and a pale roof."""
        d = self.draw
        wall = width * 0.16
        ridge = width * 0.34
        end = width * 0.3
        rise = width * 0.08  # the side recedes a little
        gable = [
            (x, base),
            (x + end, base),
            (x + end, base - wall),
            (x + end / 2, base - ridge),
            (x, base - wall),
        ]
        d.polygon(
            [
                (x + end, base),
                (x + width, base - rise),
                (x + width, base - rise - wall),
                (x + end, base - wall),
            ],
            fill=shade(colour, 0.8),
        )
        d.polygon(
            [
                (x + end, base - wall),
                (x + width, base - rise - wall),
                (x + width - end / 2, base - rise - ridge),
                (x + end / 2, base - ridge),
            ],
            fill=shade(colour, 1.18),
        )
        d.polygon(gable, fill=shade(colour, 0.6))
        d.rectangle(
            (x + end * 0.35, base - wall * 1.1, x + end * 0.65, base),
            fill=shade(colour, 0.3),
        )

    def block(self, x, base, width, height, wall, side=0.0, windows=2, awning=None):
        """A flat-roofed building: its front, an optional shaded side, windows."""
        d = self.draw
        d.rectangle((x, base - height, x + width, base), fill=wall)
        if side:
            d.polygon(
                [
                    (x + width, base),
                    (x + width + side, base - side * 0.25),
                    (x + width + side, base - height - side * 0.25),
                    (x + width, base - height),
                ],
                fill=shade(wall, 0.68),
            )
        d.rectangle(
            (
                x - width * 0.01,
                base - height - height * 0.04,
                x + width * 1.01,
                base - height,
            ),
            fill=shade(wall, 0.9),
        )
        rows = max(1, round(height / (width / max(1, windows)) * 0.7))
        for row in range(rows):
            for col in range(windows):
                wx = x + width * (col + 0.3) / windows
                wy = base - height + height * (row + 0.25) / rows
                ww = width * 0.4 / windows
                wh = height * 0.4 / rows
                if awning and row == rows - 1:
                    ww, wh = width * 0.75 / windows, height * 0.55 / rows
                    wx = x + width * (col + 0.12) / windows
                    wy = base - wh
                d.rectangle((wx, wy, wx + ww, wy + wh), fill=shade(wall, 0.32))
                if awning and row == rows - 1:
                    d.polygon(
                        [
                            (wx - ww * 0.05, wy),
                            (wx + ww * 1.05, wy),
                            (wx + ww * 1.1, wy + wh * 0.28),
                            (wx - ww * 0.1, wy + wh * 0.28),
                        ],
                        fill=self.jitter(awning, 25),
                    )

    def crate(self, x, base, width, colour, lid=True):
        """An ammunition box on the ground, seen from above at an angle."""
        d = self.draw
        h = width * 0.42
        top = width * 0.36
        front = colour
        d.polygon(
            [(x, base), (x + width, base), (x + width, base - h), (x, base - h)],
            fill=front,
        )
        d.polygon(
            [
                (x, base - h),
                (x + width, base - h),
                (x + width * 0.93, base - h - top),
                (x + width * 0.07, base - h - top),
            ],
            fill=shade(colour, 1.22),
        )
        d.polygon(
            [
                (x + width, base),
                (x + width * 1.06, base - h * 0.3),
                (x + width * 0.93, base - h - top),
                (x + width, base - h),
            ],
            fill=shade(colour, 0.7),
        )
        d.line(
            [(x + width * 0.05, base - h * 0.55), (x + width * 0.95, base - h * 0.55)],
            fill=shade(colour, 0.6),
            width=max(1, round(width * 0.02)),
        )
        for u in (0.22, 0.78):
            d.rectangle(
                (
                    x + width * (u - 0.05),
                    base - h * 0.75,
                    x + width * (u + 0.05),
                    base - h * 0.62,
                ),
                fill=shade(colour, 0.45),
            )
        if lid:
            d.line(
                [
                    (x + width * 0.07, base - h - top * 0.5),
                    (x + width * 0.93, base - h - top * 0.5),
                ],
                fill=shade(colour, 0.9),
                width=max(1, round(width * 0.015)),
            )

    def scatter(self, box, count, colour, size):
        """Small things on the ground: stones, casings, scrub."""
        left, top, right, bottom = box
        d = self.draw
        for _ in range(count):
            x = self.rng.uniform(left, right)
            y = self.rng.uniform(top, bottom)
            s = (
                size
                * (0.4 + 0.9 * (y - self.horizon) / max(1, self.h - self.horizon))
                * self.rng.uniform(0.5, 1.3)
            )
            d.ellipse(
                (x - s, y - s * 0.45, x + s, y + s * 0.45),
                fill=self.jitter(self.depth_colour(colour, y), 12),
            )


def sorted_box(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


# -- the scenes --------------------------------------------------------------


def camp(c):
    """A training camp on a dusty plain near the Turkish border: tents, a low
    block, a berm, men in a line at a distance."""
    c.horizon = round(c.h * 0.4)
    c.haze = (214, 208, 192)
    c.sky((150, 170, 192), (228, 226, 216), sun=(c.w * 1.1, -c.h * 0.05))
    hills = c.ridge(c.horizon - c.h * 0.03, c.h * 0.02, 4)
    c.land(hills, mix((140, 136, 116), c.haze, 0.5), (205, 255), 5)
    c.vertical([(0, (170, 154, 120)), (1, (128, 106, 76))], c.horizon, c.h)
    c.patches((0, c.horizon, c.w, c.h), (150, 140, 100), 5, 0.6)
    c.texture((0, c.horizon, c.w, c.h), 150, 255, 10, stretch=4)
    c.haze_band(c.horizon, c.h * 0.04, strength=0.55)
    c.block(
        c.w * 0.55,
        c.horizon + c.h * 0.02,
        c.w * 0.5,
        c.h * 0.05,
        c.depth_colour((200, 190, 170), c.horizon + 20),
        windows=5,
    )
    c.draw.line(
        [(c.w * 0.3, c.horizon + c.h * 0.03), (c.w * 0.3, c.horizon - c.h * 0.1)],
        fill=(70, 68, 62),
        width=3,
    )
    c.draw.rectangle(
        (c.w * 0.3, c.horizon - c.h * 0.1, c.w * 0.38, c.horizon - c.h * 0.075),
        fill=(120, 124, 96),
    )
    tent = (112, 108, 80)
    for i in range(4):  # the far row
        y = c.horizon + c.h * 0.05
        c.tent(
            c.w * (-0.1 + i * 0.3), y, c.w * 0.3, c.depth_colour(c.jitter(tent, 8), y)
        )
    for i in range(7):  # recruits in a line, and one in front of them
        y = c.horizon + c.h * 0.15
        c.person(
            c.w * (0.1 + i * 0.13),
            y,
            c.h * 0.075,
            c.depth_colour(c.jitter((58, 56, 44), 6), y),
            rifle=i % 2 == 0,
        )
    y = c.horizon + c.h * 0.21
    c.person(
        c.w * 0.55,
        y,
        c.h * 0.09,
        c.depth_colour((50, 48, 40), y),
        pose="wave",
        facing=-1,
    )
    y = c.horizon + c.h * 0.36
    c.tent(c.w * 0.35, y, c.w * 0.8, c.jitter(tent, 6))  # a near tent, to the right
    c.scatter((0, c.horizon + c.h * 0.2, c.w, c.h), 50, (110, 96, 70), c.w * 0.01)
    c.cloud(
        (c.w * 0.4, c.horizon + c.h * 0.1),
        (c.w * 1.2, c.h * 0.06),
        (214, 200, 172),
        0.3,
    )


def convoy(c):
    """A street in Horadiz: low shop fronts, onlookers, pick-ups passing with
    armed men standing in the back."""
    c.horizon = round(c.h * 0.46)
    c.haze = (206, 204, 196)
    c.sky((136, 164, 200), (224, 228, 230))
    far = c.ridge(c.horizon - c.h * 0.05, c.h * 0.015, 5)
    c.land(far, mix((120, 128, 110), c.haze, 0.45), (200, 255), 6)
    x = -c.w * 0.05
    walls = [
        (212, 196, 168),
        (190, 180, 164),
        (222, 214, 196),
        (178, 160, 134),
        (200, 200, 190),
    ]
    street = c.horizon + c.h * 0.02
    while x < c.w:  # the far side of the street: shop fronts
        width = c.w * c.rng.uniform(0.3, 0.5)
        height = c.h * c.rng.uniform(0.07, 0.12)
        c.block(
            x,
            street,
            width,
            height,
            c.jitter(c.rng.choice(walls), 8),
            windows=2,
            awning=(120, 60, 50),
        )
        x += width + c.w * c.rng.uniform(0.0, 0.04)
    for x in (0.15, 0.8):
        c.tree(c.w * x, street, c.h * 0.13, (72, 86, 54))
    c.draw.line(
        [(c.w * 0.45, street), (c.w * 0.46, street - c.h * 0.2)],
        fill=(70, 66, 60),
        width=max(2, round(c.w * 0.015)),
    )
    c.draw.line(
        [(0, street - c.h * 0.18), (c.w, street - c.h * 0.165)],
        fill=(60, 58, 56),
        width=2,
    )
    c.vertical(
        [(0, (156, 150, 140)), (1, (150, 146, 138))],
        round(street),
        round(street + c.h * 0.015),
    )
    c.vertical(
        [(0, (120, 116, 110)), (1, (92, 88, 84))], round(street + c.h * 0.015), c.h
    )
    c.patches((0, street, c.w, c.h), (140, 130, 110), 6, 0.5)
    c.texture((0, street, c.w, c.h), 180, 255, 12, stretch=5)
    for i in range(5):  # onlookers on the far pavement
        y = street + c.h * 0.016
        c.person(
            c.w * (0.08 + i * 0.21 + c.rng.uniform(-0.03, 0.03)),
            y,
            c.h * 0.055,
            c.jitter((46, 44, 42), 8),
            pose="raise" if i % 3 == 0 else "stand",
        )
    # The convoy coming along the street: the farther trucks smaller.
    c.pickup(
        c.w * 0.78,
        street + c.h * 0.05,
        c.w * 0.45,
        (204, 202, 194),
        riders=2,
        facing=-1,
    )
    c.cloud(
        (c.w * 0.95, street + c.h * 0.05), (c.w * 0.8, c.h * 0.06), (200, 190, 170), 0.5
    )
    c.pickup(
        c.w * 0.42,
        street + c.h * 0.14,
        c.w * 0.85,
        (218, 216, 208),
        riders=3,
        facing=-1,
        rider_colour=(52, 54, 44),
    )
    c.cloud(
        (c.w * 0.9, street + c.h * 0.15), (c.w * 0.8, c.h * 0.08), (196, 186, 164), 0.45
    )
    with c.defocus(c.w * 0.05):  # the onlookers next to the phone
        c.person(
            c.w * 0.96, c.h * 1.05, c.h * 0.4, (40, 38, 36), pose="raise", facing=-1
        )


def call(c):
    """Fighters pose for a phone at the end of the day, backlit, among olive
    trees; the video's logo is in the top right corner."""
    c.horizon = round(c.h * 0.6)
    c.haze = (226, 206, 170)
    sun = (c.w * 0.7, c.horizon - c.h * 0.1)
    c.sky((168, 174, 184), (246, 224, 184), sun=sun)
    hills = c.ridge(c.horizon - c.h * 0.07, c.h * 0.04, 5)
    c.land(hills, mix((120, 110, 100), c.haze, 0.5), (210, 255), 5)
    c.vertical([(0, (140, 118, 88)), (1, (70, 58, 42))], c.horizon, c.h)
    c.patches((0, c.horizon, c.w, c.h), (110, 104, 70), 6, 0.5)
    c.texture((0, c.horizon, c.w, c.h), 150, 255, 12, stretch=4)
    c.haze_band(c.horizon, c.h * 0.04, strength=0.55)
    for i in range(7):
        x = c.w * (i / 6) + c.rng.uniform(-30, 30)
        c.tree(
            x,
            c.horizon + c.h * 0.03,
            c.h * 0.18,
            c.depth_colour((78, 82, 56), c.horizon + 20),
        )
    base = c.horizon + c.h * 0.28
    poses = ["raise", "stand", "wave", "raise", "stand"]
    for i, pose in enumerate(poses):
        x = c.w * (0.2 + i * 0.12) + c.rng.uniform(-10, 10)
        y = base + c.rng.uniform(-0.02, 0.02) * c.h
        c.person(
            x,
            y,
            c.h * c.rng.uniform(0.3, 0.36),
            c.jitter((44, 38, 32), 5),
            pose=pose,
            rifle=pose == "stand",
            facing=1 if i % 2 else -1,
        )
    c.glow(sun, c.w * 0.3, (255, 238, 200), 0.6)
    c.cloud((c.w * 0.5, base), (c.w * 1.1, c.h * 0.1), (190, 170, 130), 0.4)


def hillside(c):
    """A scrubby hillside with a trench line cut along it, under a grey sky:
    nothing else. The poster of a record we never show."""
    c.horizon = round(c.h * 0.3)
    c.haze = (204, 204, 200)
    c.sky((170, 178, 186), (216, 216, 212))
    far = c.ridge(c.horizon - c.h * 0.02, c.h * 0.025, 4)
    c.land(far, mix((128, 124, 108), c.haze, 0.45), (205, 255), 5)
    slope = [
        (x, y + c.h * 0.1 * (x / c.w))
        for x, y in c.ridge(c.horizon + c.h * 0.03, c.h * 0.02, 5)
    ]
    c.land(slope, (146, 132, 100), (150, 255), 8)
    c.patches((0, c.horizon, c.w, c.h), (120, 116, 80), 5, 0.7)
    c.texture((0, c.horizon, c.w, c.h), 160, 255, 14, stretch=2)
    c.haze_band(c.horizon + c.h * 0.05, c.h * 0.05, strength=0.4)
    trench = []
    for step in range(25):
        x = c.w * (-0.05 + 1.1 * step / 24)
        y = c.horizon + c.h * (0.22 + 0.06 * step / 24) + c.rng.uniform(-3, 3)
        trench.append((x, y))
    width = max(4, round(c.h * 0.02))
    c.draw.line(
        [(x, y - width * 0.8) for x, y in trench], fill=(176, 160, 126), width=width
    )
    c.draw.line(trench, fill=(62, 54, 44), width=width)
    for _ in range(140):
        x = c.rng.uniform(0, c.w)
        y = c.rng.uniform(c.horizon + c.h * 0.04, c.h)
        s = (
            c.h
            * 0.008
            * (0.5 + 2 * (y - c.horizon) / (c.h - c.horizon))
            * c.rng.uniform(0.6, 1.5)
        )
        c.draw.ellipse(
            (x - s, y - s * 0.6, x + s, y + s * 0.5),
            fill=c.jitter(c.depth_colour((84, 86, 56), y), 10),
        )
    c.cloud((c.w * 0.6, c.horizon), (c.w * 1.4, c.h * 0.05), (210, 208, 202), 0.45)


def frontline(c):
    """Open ground on the front line: an earth bank in front, a tree line
    beyond, smoke rising behind the ridge, two figures far off."""
    c.horizon = round(c.h * 0.44)
    c.haze = (198, 194, 184)
    c.sky((146, 156, 170), (214, 212, 204))
    hills = c.ridge(c.horizon - c.h * 0.07, c.h * 0.05, 4)
    c.land(hills, mix((110, 112, 96), c.haze, 0.5), (205, 255), 5)
    c.cloud(
        (c.w * 0.64, c.horizon - c.h * 0.2),
        (c.w * 0.12, c.h * 0.42),
        (116, 114, 110),
        0.8,
    )
    c.cloud(
        (c.w * 0.7, c.horizon - c.h * 0.32),
        (c.w * 0.24, c.h * 0.3),
        (150, 148, 144),
        0.6,
    )
    c.vertical([(0, (134, 124, 98)), (1, (98, 86, 64))], c.horizon, c.h)
    c.patches((0, c.horizon, c.w, c.h), (112, 110, 76), 8, 0.5)
    c.texture((0, c.horizon, c.w, c.h), 150, 255, 12, stretch=4)
    c.haze_band(c.horizon, c.h * 0.04, strength=0.5)
    for i in range(16):
        x = c.w * (i / 15) + c.rng.uniform(-20, 20)
        c.tree(x, c.horizon + c.h * 0.02, c.h * c.rng.uniform(0.07, 0.12), (70, 78, 54))
    for x, pose in ((0.34, "crouch"), (0.4, "walk")):
        y = c.horizon + c.h * 0.14
        c.person(c.w * x, y, c.h * 0.09, (46, 44, 38), pose=pose, rifle=True)
    c.cloud(
        (c.w * 0.2, c.horizon + c.h * 0.1),
        (c.w * 0.5, c.h * 0.06),
        (190, 180, 160),
        0.35,
    )
    with c.defocus(c.w * 0.03):  # the bank we film from
        bank = c.ridge(c.h * 0.8, c.h * 0.06, 7)
        c.land(bank, (84, 70, 50), (140, 255), 10)
        c.scatter((0, c.h * 0.85, c.w, c.h), 40, (70, 60, 44), c.w * 0.012)


def ammunition(c):
    """The ground, filmed from above: ammunition boxes left behind, a tarp,
    spent cases, tyre tracks in the dirt."""
    c.horizon = round(c.h * 0.14)
    c.haze = (204, 200, 188)
    c.sky((172, 180, 190), (222, 220, 212))
    c.land(
        c.ridge(c.horizon - c.h * 0.015, c.h * 0.015, 3),
        mix((110, 108, 90), c.haze, 0.4),
        (205, 255),
        5,
    )
    c.vertical([(0, (156, 140, 110)), (1, (116, 100, 76))], c.horizon, c.h)
    c.patches((0, c.horizon, c.w, c.h), (96, 84, 64), 6, 0.6)
    c.texture((0, c.horizon, c.w, c.h), 140, 255, 16, stretch=1.5)
    c.haze_band(c.horizon, c.h * 0.03, strength=0.5)
    c.draw.polygon(
        [
            (c.w * 0.0, c.h * 0.5),
            (c.w * 0.7, c.h * 0.44),
            (c.w * 0.8, c.h * 0.62),
            (c.w * 0.0, c.h * 0.7),
        ],
        fill=(80, 88, 66),
    )
    olive = (82, 90, 58)
    for x, y, width in (
        (0.55, 0.36, 0.28),
        (0.1, 0.52, 0.36),
        (0.42, 0.58, 0.38),
        (0.05, 0.74, 0.42),
        (0.5, 0.8, 0.44),
    ):
        c.crate(c.w * x, c.h * y, c.w * width, c.jitter(olive, 8))
    c.scatter((0, c.h * 0.3, c.w, c.h), 50, (184, 150, 76), c.w * 0.008)
    c.scatter((0, c.horizon, c.w, c.h), 60, (92, 82, 64), c.w * 0.01)
    c.texture((0, c.horizon, c.w, c.h), 200, 255, 24, stretch=1)
    with c.defocus(c.w * 0.04):
        c.scatter((0, c.h * 0.92, c.w, c.h), 12, (100, 88, 66), c.w * 0.05)


def recruitment(c):
    """A street at dusk in a town near the Turkish border: a man on a step
    speaks to a crowd seen from behind."""
    c.horizon = round(c.h * 0.55)
    c.haze = (196, 180, 160)
    c.sky((100, 116, 142), (224, 194, 156))
    x = -c.w * 0.02
    while x < c.w:
        width = c.w * c.rng.uniform(0.12, 0.2)
        height = c.h * c.rng.uniform(0.22, 0.36)
        c.block(
            x,
            c.horizon + c.h * 0.05,
            width,
            height,
            c.jitter((172, 158, 138), 10),
            windows=3,
        )
        x += width
    c.texture((0, 0, c.w, c.horizon + c.h * 0.05), 200, 255, 20)
    c.draw.line([(0, c.h * 0.26), (c.w, c.h * 0.2)], fill=(40, 38, 36), width=2)
    c.draw.rectangle(
        (c.w * 0.32, c.h * 0.36, c.w * 0.6, c.h * 0.42), fill=(60, 92, 70)
    )  # a plain banner
    c.vertical(
        [(0, (124, 116, 104)), (1, (84, 78, 70))], round(c.horizon + c.h * 0.05), c.h
    )
    c.texture((0, c.horizon, c.w, c.h), 170, 255, 12, stretch=3)
    c.glow((c.w * 0.86, c.h * 0.3), c.w * 0.1, (255, 226, 170), 0.7)  # a street light
    c.draw.rectangle(
        (c.w * 0.38, c.h * 0.62, c.w * 0.56, c.h * 0.68), fill=(116, 110, 100)
    )
    c.person(c.w * 0.47, c.h * 0.625, c.h * 0.22, (40, 36, 34), pose="raise", facing=1)
    for row in range(2):  # the crowd's back rows
        y = c.h * (0.72 + row * 0.07)
        size = c.h * (0.16 + row * 0.05)
        count = 16 - row * 4
        for i in range(count):
            x = c.w * (i + c.rng.uniform(0.1, 0.9)) / count
            c.person(
                x,
                y + size * 0.6,
                size,
                c.jitter(shade((60, 54, 48), 1 - row * 0.15), 6),
                pose="raise" if c.rng.random() < 0.12 else "stand",
            )
    with c.defocus(c.w * 0.02):  # the men nearest the phone
        for i in range(6):
            x = c.w * (i + c.rng.uniform(0.2, 0.8)) / 6
            c.person(x, c.h * 1.08, c.h * 0.5, c.jitter((36, 32, 30), 4))


SCENES = {
    scene.name: scene
    for scene in (
        Scene("camp", camp, has_figures=True),
        Scene("convoy", convoy, has_figures=True),
        Scene("call", call, has_figures=True, emblem=True),
        Scene("hillside", hillside, has_figures=False),
        Scene("frontline", frontline, has_figures=True),
        Scene("ammunition", ammunition, has_figures=False),
        Scene("recruitment", recruitment, has_figures=True),
    )
}


# -- the camera --------------------------------------------------------------


def emblem(image, rng):
    """An abstract unit logo burned into the footage, top right: a ring, a
    shield with chevrons, and two bars where a name would be. No real emblem."""
    w, h = image.size
    size = round(h * 0.16)
    s = SUPERSAMPLE * 2
    mark = Image.new("L", (size * s * 3, size * s))
    d = ImageDraw.Draw(mark)
    r = size * s / 2
    d.ellipse((2, 2, 2 * r - 2, 2 * r - 2), outline=255, width=round(r * 0.12))
    shield = [
        (r * 0.55, r * 0.5),
        (r * 1.45, r * 0.5),
        (r * 1.45, r * 1.1),
        (r, r * 1.6),
        (r * 0.55, r * 1.1),
    ]
    d.polygon(shield, fill=255)
    for k in range(3):
        y = r * (0.7 + k * 0.28)
        d.line(
            [(r * 0.65, y), (r, y + r * 0.18), (r * 1.35, y)],
            fill=0,
            width=round(r * 0.08),
        )
    d.rectangle((r * 2.3, r * 0.6, r * 5.8, r * 0.85), fill=255)
    d.rectangle((r * 2.3, r * 1.15, r * 4.9, r * 1.35), fill=255)
    mark = mark.resize((size * 3, size), Image.Resampling.LANCZOS)
    mark = mark.point(lambda v: round(v * 0.85))
    left, top = w - size * 3 - round(h * 0.05), round(h * 0.05)
    shadow = mark.filter(ImageFilter.GaussianBlur(2)).point(lambda v: round(v * 0.5))
    image.paste((0, 0, 0), (left + 2, top + 2), shadow)
    image.paste((236, 232, 220), (left, top), mark)


def camera(image, rng, scene):
    """What a phone and a messaging app do to a frame."""
    w, h = image.size
    # Uneven light: the exposure drifts across the frame.
    light = Canvas.fractal_of(rng, (w, h), 3, 225, 255)
    image = ImageChops.multiply(image, Image.merge("RGB", (light,) * 3))
    # A hand-held camera: the frame smeared along a short stroke.
    angle = rng.uniform(0, math.pi)
    length = rng.uniform(2.5, 5.0)
    taps = 5
    blurred = image
    for tap in range(1, taps):
        t = tap / (taps - 1) - 0.5
        dx, dy = (
            round(math.cos(angle) * length * t),
            round(math.sin(angle) * length * t),
        )
        blurred = Image.blend(blurred, ImageChops.offset(image, dx, dy), 1 / (tap + 1))
    image = blurred.filter(ImageFilter.GaussianBlur(0.8))
    # Auto exposure and the app's colours: flatter, warmer, blacks lifted.
    image = ImageEnhance.Contrast(image).enhance(1.3)
    image = ImageEnhance.Color(image).enhance(0.85)
    red, green, blue = image.split()
    red = red.point(lambda v: min(255, round(10 + v * 0.97)))
    green = green.point(lambda v: min(255, round(8 + v * 0.95)))
    blue = blue.point(lambda v: min(255, round(6 + v * 0.93)))
    image = Image.merge("RGB", (red, green, blue))
    # Vignetting: the corners darker than the middle.
    vignette = Image.radial_gradient("L").resize(
        (round(w * 1.4), round(h * 1.4)), Image.Resampling.BILINEAR
    )
    vignette = vignette.crop(
        (round(w * 0.2), round(h * 0.2), round(w * 1.2), round(h * 1.2))
    )
    vignette = vignette.point(lambda v: round(255 - 95 * (v / 255) ** 2.4))
    image = ImageChops.multiply(image, Image.merge("RGB", (vignette,) * 3))
    if scene.emblem:
        emblem(image, rng)
    # The sensor's own resolution, its noise, and the app's compression.
    sw, sh = round(w * 0.6), round(h * 0.6)
    image = image.resize((sw, sh), Image.Resampling.BILINEAR)
    grain = Image.frombytes("L", (sw, sh), rng.randbytes(sw * sh))
    grain = Image.blend(
        grain, Image.frombytes("L", (sw, sh), rng.randbytes(sw * sh)), 0.5
    )
    grain = grain.point(lambda v: round(128 + (v - 128) * 0.12))
    chroma = [
        Image.frombytes("L", (sw // 4, sh // 4), rng.randbytes((sw // 4) * (sh // 4)))
        .resize((sw, sh), Image.Resampling.BILINEAR)
        .point(lambda v: round(128 + (v - 128) * 0.05))
        for _ in range(3)
    ]
    noise = Image.merge(
        "RGB", [ImageChops.add(grain, band, 1, -128) for band in chroma]
    )
    image = ImageChops.add(image, noise, 1, -128)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=38, subsampling=2)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image.resize((w, h), Image.Resampling.BICUBIC)


def frame_size(aspect_ratio):
    if aspect_ratio in PORTRAIT_RATIOS:
        return round(HEIGHT * 9 / 16), HEIGHT
    return WIDTH, HEIGHT


def render(scene_name, aspect_ratio="16-9"):
    """The still of ``scene_name`` for a record whose box is ``aspect_ratio``,
    as a 960 x 540 RGB image."""
    scene = SCENES[scene_name]
    fw, fh = frame_size(aspect_ratio)
    canvas = Canvas(scene_name, (fw * SUPERSAMPLE, fh * SUPERSAMPLE))
    scene.draw(canvas)
    picture = canvas.image.reduce(SUPERSAMPLE)
    picture = camera(picture, canvas.rng, scene)
    if (fw, fh) == (WIDTH, HEIGHT):
        return picture
    # Vertical footage in a landscape frame: itself, blurred and dimmed, behind.
    cover = picture.resize(
        (WIDTH // 8, round(WIDTH * fh / fw) // 8), Image.Resampling.BILINEAR
    )
    cover = cover.filter(ImageFilter.GaussianBlur(4)).resize(
        (WIDTH, round(WIDTH * fh / fw)), Image.Resampling.BILINEAR
    )
    top = (cover.height - HEIGHT) // 2
    still = ImageEnhance.Brightness(cover.crop((0, top, WIDTH, top + HEIGHT))).enhance(
        0.6
    )
    still.paste(picture, ((WIDTH - fw) // 2, 0))
    return still


def still(scene_name, aspect_ratio="16-9"):
    """The poster as JPEG bytes: the same bytes for the same arguments."""
    if scene_name in RECYCLED:
        return recycled_still(RECYCLED[scene_name], aspect_ratio)
    buffer = io.BytesIO()
    render(scene_name, aspect_ratio).save(buffer, "JPEG", quality=84, optimize=True)
    return buffer.getvalue()


# -- recycled footage ----------------------------------------------------------

# Stills of footage shared again as new: the scene's still, as a repost makes
# it. The admin flags the record as a near-duplicate of the scene's record
# (docs/how-to/find-recycled-footage.md).
RECYCLED = {"convoy-reshared": "convoy"}


def recycled_still(scene_name, aspect_ratio="16-9"):
    """What a repost does to a still: a few pixels cropped off and the rest
    scaled back up, a little brighter, compressed again, harder."""
    picture = Image.open(io.BytesIO(still(scene_name, aspect_ratio))).convert("RGB")
    crop = 6
    picture = picture.crop((crop, crop // 2, WIDTH - crop, HEIGHT - crop // 2)).resize(
        (WIDTH, HEIGHT), Image.Resampling.BICUBIC
    )
    picture = ImageEnhance.Brightness(picture).enhance(1.12)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=60, optimize=True)
    return buffer.getvalue()
