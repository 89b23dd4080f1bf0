"""Draw the two figures for question 4 of ``notes/第一章-第二节课.md``.

The question is about the index order in the encoder-decoder attention formula
``c_j = Σ_i α_ij · h_i`` and in the lecture's "Sample" line
``c2 = a21·h1 + a22·h2 + a23·h3``.

* ``笔记2-3-4.1.png``: the formula table (encoder hidden states, attention weights,
  context vector, decoder hidden state) above a small diagram in which the encoder
  states h1..h3 feed the context vectors c1..c3 of the decoder positions s1..s3.
  The c_j formula and the Sample line are highlighted.
* ``笔记2-3-4.2.png``: the attention-weight matrix as the student redrew it, with
  rows for the outputs s_j and columns for the inputs h_i (the transpose of α),
  shaded like a heatmap, with the s2 row and its sum highlighted.

Run from the repository root with::

    python resource/make_figures.py

The PNGs are written next to this file. Only Pillow and the Noto Sans CJK SC font
(Debian package fonts-noto-cjk) are needed. The output is deterministic: running
the script twice gives byte-identical files.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUTPUT_DIR = Path(__file__).parent
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {False: "NotoSansCJK-Regular.ttc", True: "NotoSansCJK-Bold.ttc"}
FONT_INDEX_SC = 2  # Index of "Noto Sans CJK SC" inside the .ttc collections.

WIDTH = 2000  # 2000 px over a 150 mm text block is about 340 ppi.
DPI = 300
SCALE = 2  # Draw at twice the size, then downsample for smooth lines.

WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
DARK = (60, 60, 60)
LIGHT = (185, 185, 185)
HEADER = (232, 232, 232)
HIGHLIGHT = (255, 217, 102)  # Light yellow; prints as a light gray.

SUB_RATIO = 0.68  # Subscript size relative to the base size.
SUB_DROP = 0.22  # How far a subscript sits below the baseline, in base sizes.
MARKUP = re.compile(r"_\{([^}]*)\}|·")  # A subscript or a multiplication dot.
DOT_ADVANCE = 0.42  # Width of a drawn multiplication dot, in base sizes.

_font_cache: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}


def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Return Noto Sans CJK SC at ``size`` pixels (cached)."""
    key = (size, bold)
    if key not in _font_cache:
        path = FONT_DIR / FONT_FILES[bold]
        _font_cache[key] = ImageFont.truetype(str(path), size, index=FONT_INDEX_SC)
    return _font_cache[key]


def parse_markup(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (chunk, kind) pieces, kind being "text", "sub" or "dot".

    ``x_{ij}`` marks a subscript. "·" becomes a drawn dot, because the CJK font's
    middle dot is full width and looks loose in formulas.
    """
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in MARKUP.finditer(text):
        if match.start() > position:
            pieces.append((text[position : match.start()], "text"))
        if match.group(0) == "·":
            pieces.append(("·", "dot"))
        else:
            pieces.append((match.group(1), "sub"))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], "text"))
    return pieces


def piece_font(size: int, bold: bool, kind: str) -> ImageFont.FreeTypeFont:
    """Font for one piece of marked-up text."""
    return load_font(round(size * SUB_RATIO) if kind == "sub" else size, bold)


def piece_width(chunk: str, kind: str, size: int, bold: bool) -> float:
    """Advance width of one piece at ``size`` pixels."""
    if kind == "dot":
        return DOT_ADVANCE * size
    return piece_font(size, bold, kind).getlength(chunk)


class Canvas:
    """A white image drawn at ``SCALE`` times its final size; coordinates are final pixels."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _s(*values: float) -> list[float]:
        return [v * SCALE for v in values]

    def text_width(self, markup: str, size: int, bold: bool = False) -> float:
        """Width in final pixels of marked-up text."""
        pieces = parse_markup(markup)
        return sum(piece_width(chunk, kind, size * SCALE, bold) for chunk, kind in pieces) / SCALE

    def text(
        self,
        x: float,
        y: float,
        markup: str,
        size: int,
        align: str = "left",
        bold: bool = False,
        fill: tuple[int, int, int] = BLACK,
    ) -> None:
        """Draw marked-up text; ``y`` is the vertical centre, ``align`` left/center/right."""
        width = self.text_width(markup, size, bold)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        baseline = y + 0.36 * size
        for chunk, kind in parse_markup(markup):
            if kind == "dot":
                self._dot(x + DOT_ADVANCE * size / 2, baseline - 0.30 * size, size, bold, fill)
            else:
                font = piece_font(size * SCALE, bold, kind)
                drop = SUB_DROP * size if kind == "sub" else 0
                self.draw.text(
                    self._s(x, baseline + drop), chunk, font=font, fill=fill, anchor="ls"
                )
            x += piece_width(chunk, kind, size * SCALE, bold) / SCALE

    def _dot(self, cx: float, cy: float, size: int, bold: bool, fill) -> None:
        """A multiplication dot centred on the maths axis."""
        r = size * (0.065 if bold else 0.05)
        self.draw.ellipse(self._s(cx - r, cy - r, cx + r, cy + r), fill=fill)

    def rect(self, box, fill=None, outline=BLACK, width: float = 2, radius: float = 0) -> None:
        """Rectangle ``box = (x0, y0, x1, y1)``, optionally with rounded corners."""
        scaled = self._s(*box)
        line = round(width * SCALE) if outline else 0
        if radius:
            self.draw.rounded_rectangle(
                scaled, radius * SCALE, fill=fill, outline=outline, width=line
            )
        else:
            self.draw.rectangle(scaled, fill=fill, outline=outline, width=line)

    def circle(self, cx: float, cy: float, r: float, fill=None, width: float = 3) -> None:
        """Circle with a black outline."""
        self.draw.ellipse(
            self._s(cx - r, cy - r, cx + r, cy + r),
            fill=fill,
            outline=BLACK,
            width=round(width * SCALE),
        )

    def line(self, start, end, fill=BLACK, width: float = 2) -> None:
        """Straight line between two points."""
        self.draw.line(self._s(*start, *end), fill=fill, width=round(width * SCALE))

    def arrow(self, start, end, fill=BLACK, width: float = 3, head: float = 18) -> None:
        """Line from ``start`` to ``end`` with a filled arrow head at ``end``."""
        (x0, y0), (x1, y1) = start, end
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        base = (x1 - ux * head, y1 - uy * head)
        self.line(start, base, fill, width)
        left = (base[0] - uy * head * 0.5, base[1] + ux * head * 0.5)
        right = (base[0] + uy * head * 0.5, base[1] - ux * head * 0.5)
        self.draw.polygon(self._s(x1, y1, *left, *right), fill=fill)

    def save(self, path: Path) -> None:
        """Downsample to the final size and write a PNG with 300 ppi metadata."""
        final = self.image.resize(
            (self.image.width // SCALE, self.image.height // SCALE), Image.Resampling.LANCZOS
        )
        final.save(path, format="PNG", dpi=(DPI, DPI), optimize=True)


# --------------------------------------------------------------------------
# Figure 1: formula table plus encoder-decoder diagram
# --------------------------------------------------------------------------

TABLE_ROWS = [
    ("Encoder hidden states", "编码器隐藏状态（输入）", "h_{i}，  i = 1, 2, 3", False),
    ("Attention weights", "注意力权重", "α_{ij} = softmax_{i}( score(s_{j−1}, h_{i}) )", False),
    ("Context vector", "上下文向量", "c_{j} = Σ_{i} α_{ij}·h_{i}", True),
    ("Decoder hidden state", "解码器隐藏状态（输出）", "s_{j} = f(s_{j−1}, y_{j−1}, c_{j})", False),
]

NODE_X = [920, 1320, 1720]  # Column centres of the three positions in the diagram.
TABLE_TOP, TABLE_HEADER_H, TABLE_ROW_H = 130, 84, 140
SAMPLE_HEIGHT = 260


def draw_table(canvas: Canvas) -> None:
    """Draw the two-column formula table."""
    left, split, right = 80, 760, WIDTH - 80
    top, header_h, row_h = TABLE_TOP, TABLE_HEADER_H, TABLE_ROW_H
    canvas.rect((left, top, right, top + header_h), fill=HEADER, outline=None)
    canvas.text(left + 30, top + header_h / 2, "名称 Name", 44, bold=True)
    canvas.text(split + 40, top + header_h / 2, "公式 Formula", 44, bold=True)
    y = top + header_h
    for english, chinese, formula, highlighted in TABLE_ROWS:
        if highlighted:
            canvas.rect((left, y, right, y + row_h), fill=HIGHLIGHT, outline=None)
        canvas.text(left + 30, y + row_h * 0.32, english, 44)
        canvas.text(left + 30, y + row_h * 0.70, chinese, 44, fill=DARK)
        canvas.text(split + 40, y + row_h / 2, formula, 52)
        y += row_h
        canvas.line((left, y), (right, y), fill=LIGHT, width=2)
    bottom = y
    canvas.line((left, top), (right, top), width=4)
    canvas.line((left, top + header_h), (right, top + header_h), width=2)
    canvas.line((left, bottom), (right, bottom), width=4)
    canvas.line((split, top), (split, bottom), fill=LIGHT, width=2)


def draw_diagram_labels(canvas: Canvas, rows: dict[str, float]) -> None:
    """Row labels on the left of the diagram."""
    labels = {
        "s": ("Decoder positions", "解码器位置 s_{j}（输出）"),
        "c": ("Context vectors", "上下文向量 c_{j}"),
        "h": ("Encoder hidden states", "编码器隐藏状态 h_{i}（输入）"),
    }
    for key, (english, chinese) in labels.items():
        canvas.text(80, rows[key] - 26, english, 44)
        canvas.text(80, rows[key] + 30, chinese, 44, fill=DARK)


def draw_nodes(canvas: Canvas, rows: dict[str, float]) -> None:
    """Boxes for s_j and h_i, circles for c_j, and the arrows between them."""
    half_w, half_h, radius = 95, 50, 58
    for j, x in enumerate(NODE_X, start=1):
        canvas.rect(
            (x - half_w, rows["s"] - half_h, x + half_w, rows["s"] + half_h),
            fill=WHITE,
            width=3,
            radius=14,
        )
        canvas.text(x, rows["s"], f"s_{{{j}}}", 52, align="center")
        canvas.rect(
            (x - half_w, rows["h"] - half_h, x + half_w, rows["h"] + half_h),
            fill=HEADER,
            width=3,
            radius=14,
        )
        canvas.text(x, rows["h"], f"h_{{{j}}}", 52, align="center")
        canvas.circle(x, rows["c"], radius, fill=HIGHLIGHT if j == 2 else WHITE)
        canvas.text(x, rows["c"], f"c_{{{j}}}", 52, align="center")
        canvas.arrow((x, rows["c"] - radius), (x, rows["s"] + half_h + 2), width=4)
    for x0, x1 in pairwise(NODE_X):
        canvas.arrow((x0 + half_w, rows["s"]), (x1 - half_w - 2, rows["s"]), width=4)


def circle_edge(cx: float, cy: float, radius: float, towards: tuple[float, float]):
    """Point on the circle around (cx, cy) in the direction of ``towards``."""
    dx, dy = towards[0] - cx, towards[1] - cy
    dist = (dx * dx + dy * dy) ** 0.5
    return (cx + dx / dist * radius, cy + dy / dist * radius)


def draw_attention_arrows(canvas: Canvas, rows: dict[str, float]) -> None:
    """Every h_i feeds every c_j; the arrows into c2 are drawn dark and labelled."""
    top_of_h, reach = rows["h"] - 50, 58 + 4  # Top of the h boxes; circle radius + gap.
    for j, cx in enumerate(NODE_X, start=1):
        for hx in NODE_X:
            if j != 2:
                end = circle_edge(cx, rows["c"], reach, (hx, top_of_h))
                canvas.arrow((hx, top_of_h), end, fill=LIGHT, width=3, head=16)
    cx = NODE_X[1]
    for i, hx in enumerate(NODE_X, start=1):
        end = circle_edge(cx, rows["c"], reach, (hx, top_of_h))
        canvas.arrow((hx, top_of_h), end, fill=BLACK, width=5, head=22)
        dx, dy = hx - cx, top_of_h - rows["c"]
        label_x = cx + dx * 0.55 + (40 if dx > 0 else -40 if dx < 0 else 50)
        label_y = rows["c"] + dy * 0.55
        label = f"a_{{2{i}}}"
        w = canvas.text_width(label, 46)
        canvas.rect(
            (label_x - w / 2 - 8, label_y - 30, label_x + w / 2 + 8, label_y + 30),
            fill=WHITE,
            outline=None,
        )
        canvas.text(label_x, label_y, label, 46, align="center")


def draw_sample(canvas: Canvas, top: float) -> None:
    """The highlighted Sample line and a note on its index order."""
    left, right = 80, WIDTH - 80
    canvas.rect((left, top, right, top + 100), fill=HIGHLIGHT, outline=None)
    canvas.text(
        left + 30, top + 50, "Sample：c_{2} = a_{21}·h_{1} + a_{22}·h_{2} + a_{23}·h_{3}", 52
    )
    canvas.text(
        left + 30, top + 150, "Sample 的下标是先 j（输出 c_{2}）后 i（输入 h_{i}）；", 44, fill=DARK
    )
    canvas.text(
        left + 30,
        top + 215,
        "按表中公式 c_{j} = Σ_{i} α_{ij}·h_{i} 应写作 "
        "c_{2} = α_{12}·h_{1} + α_{22}·h_{2} + α_{32}·h_{3}。",
        44,
        fill=DARK,
    )


def make_figure_table(path: Path) -> None:
    """Figure 1: the encoder-decoder attention table, diagram and Sample line."""
    table_bottom = TABLE_TOP + TABLE_HEADER_H + TABLE_ROW_H * len(TABLE_ROWS)
    rows = {"s": table_bottom + 170, "c": table_bottom + 410, "h": table_bottom + 660}
    canvas = Canvas(WIDTH, rows["h"] + 110 + SAMPLE_HEIGHT + 30)
    canvas.text(
        WIDTH / 2,
        62,
        "Encoder-decoder Attention（编码器-解码器注意力）",
        56,
        align="center",
        bold=True,
    )
    draw_table(canvas)
    draw_diagram_labels(canvas, rows)
    draw_attention_arrows(canvas, rows)
    draw_nodes(canvas, rows)
    draw_sample(canvas, rows["h"] + 110)
    canvas.save(path)


# --------------------------------------------------------------------------
# Figure 2: the transposed attention-weight matrix as a heatmap
# --------------------------------------------------------------------------

# WEIGHTS[j][i] is the example weight α_ij of input h_(i+1) for output s_(j+1);
# each row sums to 1 because the softmax runs over the inputs i.
WEIGHTS = [
    [0.7, 0.2, 0.1],
    [0.2, 0.7, 0.1],
    [0.1, 0.2, 0.7],
]

GRID_LEFT, GRID_TOP, CELL = 340, 370, 240


def cell_shade(weight: float) -> tuple[int, int, int]:
    """Gray level for a weight: 0 is white, 1 is dark gray."""
    level = round(255 - 200 * weight)
    return (level, level, level)


def draw_matrix_headers(canvas: Canvas) -> None:
    """Column labels h_i on top, row labels s_j on the left, with axis arrows."""
    grid_right = GRID_LEFT + 3 * CELL
    grid_bottom = GRID_TOP + 3 * CELL
    canvas.text(GRID_LEFT, 180, "列 = 输入：编码器隐藏状态 h_{i}", 44, bold=True)
    canvas.arrow((GRID_LEFT, 240), (grid_right, 240), width=4)
    canvas.text(grid_right + 20, 240, "i", 44)
    for i in range(3):
        canvas.text(
            GRID_LEFT + CELL * (i + 0.5), GRID_TOP - 60, f"h_{{{i + 1}}}", 52, align="center"
        )
    canvas.text(80, grid_bottom + 80, "行 = 输出：解码器位置 s_{j}", 44, bold=True)
    canvas.arrow((120, GRID_TOP), (120, grid_bottom), width=4)
    canvas.text(104, GRID_TOP - 40, "j", 44)
    for j in range(3):
        canvas.text(
            GRID_LEFT - 50, GRID_TOP + CELL * (j + 0.5), f"s_{{{j + 1}}}", 52, align="right"
        )


def draw_matrix_cells(canvas: Canvas) -> None:
    """The 3×3 grid: cell (row s_j, column h_i) shows a_ji = α_ij and its example weight."""
    for j, row in enumerate(WEIGHTS, start=1):
        for i, weight in enumerate(row, start=1):
            x0 = GRID_LEFT + CELL * (i - 1)
            y0 = GRID_TOP + CELL * (j - 1)
            canvas.rect((x0, y0, x0 + CELL, y0 + CELL), fill=cell_shade(weight), width=2)
            ink = WHITE if weight >= 0.5 else BLACK
            canvas.text(
                x0 + CELL / 2,
                y0 + CELL * 0.36,
                f"a_{{{j}{i}}} = α_{{{i}{j}}}",
                44,
                align="center",
                fill=ink,
            )
            canvas.text(
                x0 + CELL / 2,
                y0 + CELL * 0.68,
                f"{weight:.1f}",
                50,
                align="center",
                bold=True,
                fill=ink,
            )


def draw_highlighted_row(canvas: Canvas) -> None:
    """Yellow band behind the s2 row, extended to hold c2 as the weighted sum."""
    y0 = GRID_TOP + CELL
    grid_right = GRID_LEFT + 3 * CELL
    canvas.rect(
        (GRID_LEFT - 150, y0 - 14, WIDTH - 60, y0 + CELL + 14),
        fill=HIGHLIGHT,
        outline=None,
        radius=12,
    )
    text_x = grid_right + 50
    canvas.text(text_x, y0 + CELL * 0.30, "c_{2} = a_{21}·h_{1} + a_{22}·h_{2} + a_{23}·h_{3}", 44)
    canvas.text(text_x, y0 + CELL * 0.58, "     = α_{12}·h_{1} + α_{22}·h_{2} + α_{32}·h_{3}", 44)
    canvas.text(text_x, y0 + CELL * 0.84, "（s_{2} 这一行的权重之和为 1）", 44, fill=DARK)


def draw_matrix_notes(canvas: Canvas) -> None:
    """Explanation below the grid."""
    top = GRID_TOP + 3 * CELL + 170
    notes = [
        "行 = 输出 s_{j}，列 = 输入 h_{i}（即 α 矩阵的转置）：格中 a_{ji} = α_{ij}。",
        "表格公式 c_{j} = Σ_{i} α_{ij}·h_{i} 与 Sample 写法只是下标顺序不同，含义相同。",
        "灰度表示示例权重的大小（越深越大）；每一行的权重之和为 1。",
    ]
    for k, note in enumerate(notes):
        canvas.text(80, top + 70 * k, note, 44, fill=BLACK if k == 0 else DARK)


def make_figure_matrix(path: Path) -> None:
    """Figure 2: the attention-weight matrix with rows = outputs, columns = inputs."""
    height = GRID_TOP + 3 * CELL + 170 + 70 * 2 + 70
    canvas = Canvas(WIDTH, height)
    canvas.text(
        WIDTH / 2,
        62,
        "注意力权重矩阵（行 = 输出 s_{j}，列 = 输入 h_{i}）",
        56,
        align="center",
        bold=True,
    )
    draw_highlighted_row(canvas)
    draw_matrix_headers(canvas)
    draw_matrix_cells(canvas)
    grid_right = GRID_LEFT + 3 * CELL
    canvas.rect((GRID_LEFT, GRID_TOP + CELL, grid_right, GRID_TOP + 2 * CELL), width=6)
    draw_matrix_notes(canvas)
    canvas.save(path)


def main() -> None:
    """Write both figures next to this script."""
    outputs = [
        (make_figure_table, OUTPUT_DIR / "笔记2-3-4.1.png"),
        (make_figure_matrix, OUTPUT_DIR / "笔记2-3-4.2.png"),
    ]
    for make, path in outputs:
        make(path)
    print("Wrote " + ", ".join(str(path) for _, path in outputs))


if __name__ == "__main__":
    main()
