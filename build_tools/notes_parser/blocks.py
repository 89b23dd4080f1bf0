"""markdown-it tokens → generic model blocks and inlines, with locations and diagnostics.

Everything a note says survives this step: headings come out as ``HeadingMark`` for the structure
step to interpret, raw HTML is allowed or kept as text, unclosed fences and comments are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from ..diagnostics import Kind
from ..model import (
    Block,
    Code,
    Emph,
    Fence,
    Figure,
    HardBreak,
    Inline,
    InlineImage,
    Link,
    ListBlock,
    Location,
    Paragraph,
    Quote,
    RawHtml,
    RawInline,
    SoftBreak,
    Strong,
    Table,
    Text,
    inline_text,
)
from .emphasis import close_cjk_emphasis
from .markdown import definitions, markdown
from .nesting import FLATTEN_AT, MAX_NESTING, flatten_nesting
from .paths import PathContext, is_url, resolve_image, resolve_link

# Inline tags the notes use for presentation; anything else is shown as text.
_INLINE_TAG = re.compile(r"<\s*(/?)\s*(mark|sup|sub|br)\b[^>]*?/?\s*>", re.IGNORECASE)
# Block HTML that only decorates (rules and breaks between items): no words to lose. A lone
# ``</div>`` closes a two-column wrapper whose opening tag stood in a block of its own.
_DECORATION = re.compile(r"(\s*<\s*(hr|br|/\s*div)\b[^>]*>\s*)+", re.IGNORECASE)
# An exercise option written as an indented line: "A. 甲", "- B、乙".
_OPTION_LINE = re.compile(r"^(?:[-*+]\s+)?(?:\*\*)?[A-H]\s*[.．、:：)）]")
# A bullet-list marker at the start of a line of text.
LIST_MARKER = re.compile(r"^\s*[-*+]\s+")
# A <div> wrapper (e.g. two-column layouts) whose inside is Markdown.
_DIV_OPEN = re.compile(r"\A\s*<div\b[^>]*>", re.IGNORECASE)
_DIV_CLOSE = re.compile(r"</div\s*>\s*\Z", re.IGNORECASE)


@dataclass(frozen=True)
class HeadingMark:
    """A heading, before the structure step decides whether it names a lesson, part or item."""

    loc: Location
    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class BlockContext:
    paths: PathContext
    shown: str  # the note's path in messages
    lines: tuple[str, ...]  # the note's lines, to check where fences end
    offset: int = 0  # lines before the text being parsed (for re-parsed HTML blocks)

    def loc(self, node: SyntaxTreeNode) -> Location:
        return Location(self.shown, self.offset + (node.map[0] if node.map else 0) + 1)

    def warn(self, kind: Kind, loc: Location, message: str) -> None:
        self.paths.reporter.warn(kind, loc, message)


def parse_blocks(text: str, ctx: BlockContext) -> list[Block | HeadingMark]:
    """Parse Markdown ``text`` into top-level blocks and heading marks, in order."""
    md, env = markdown(), {}
    tokens = md.parse(text, env)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        text, line = flatten_nesting(text)
        ctx.warn(Kind.DEEP_NESTING, Location(ctx.shown, line),
                 f"lists or quotes nested deeper than {FLATTEN_AT} levels are read "
                 f"{FLATTEN_AT} deep; nothing is dropped")
        env = {}
        tokens = md.parse(text, env)
    return _nodes(tokens, env, ctx)


def _nodes(tokens, env: dict, ctx: BlockContext) -> list[Block | HeadingMark]:
    """The parsed blocks; each definition a reader will not see as written reported."""
    for kind, line, message in sorted(definitions(tokens, env), key=lambda d: d[1]):
        written = ctx.lines[ctx.offset + line] if ctx.offset + line < len(ctx.lines) else ""
        ctx.warn(kind, Location(ctx.shown, ctx.offset + line + 1),
                 f"{message}: {_first_line(written)}")
    return convert_nodes(SyntaxTreeNode(tokens).children, ctx)


def convert_nodes(nodes, ctx: BlockContext) -> list[Block | HeadingMark]:
    out: list[Block | HeadingMark] = []
    for node in nodes:
        out.extend(_convert(node, ctx))
    return out


def _convert(node: SyntaxTreeNode, ctx: BlockContext) -> list[Block | HeadingMark]:
    handler = _BLOCK_HANDLERS.get(node.type)
    if handler is None:  # hr and anything a later markdown-it adds without words
        return []
    return handler(node, ctx)


def _heading(node, ctx):
    level = int(node.tag[1])
    return [HeadingMark(ctx.loc(node), level, inlines_of(node.children[0], ctx))]


def _paragraph(node, ctx):
    return split_figures(Paragraph(ctx.loc(node), inlines_of(node.children[0], ctx)))


def _fence(node, ctx):
    loc = ctx.loc(node)
    closed = _fence_closed(node, ctx)
    if not closed:
        ctx.warn(Kind.UNCLOSED_FENCE, loc, "code fence is never closed; it runs to the end")
    info = node.info.strip() if node.type == "fence" else ""
    if len(words := info.split(maxsplit=1)) > 1:
        ctx.warn(Kind.FENCE_INFO, loc, f"only the fence's language is used; not shown: {words[1]}")
    return [Fence(loc, info, node.content, closed)]


def _code_block(node, ctx):
    """Indented lines are code to CommonMark, but tab-indented ``A. …`` lines are the options
    of an exercise: read those as a Markdown list."""
    lines = [line.strip() for line in node.content.splitlines() if line.strip()]
    if lines and all(_OPTION_LINE.match(line) for line in lines):
        listed = "".join(f"- {LIST_MARKER.sub('', line)}\n" for line in lines)
        return _reparse(listed, node, ctx)
    return _fence(node, ctx)


def _fence_closed(node, ctx) -> bool:
    if node.type != "fence" or not node.map:
        return True
    last = ctx.offset + node.map[1] - 1
    if node.map[1] - node.map[0] < 2 or last >= len(ctx.lines):
        return False
    closing = ctx.lines[last].lstrip(" \t>").strip()  # inside a quote the line starts with >
    marker = node.markup
    return closing.startswith(marker[0] * len(marker)) and not closing.strip(marker[0])


def _list(node, ctx):
    items = tuple(tuple(convert_nodes(item.children, ctx)) for item in node.children)
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
    return [ListBlock(ctx.loc(node), node.type == "ordered_list", start, items)]


def _quote(node, ctx):
    return [Quote(ctx.loc(node), tuple(convert_nodes(node.children, ctx)))]


def _table(node, ctx):
    rows = []
    for section in node.children:  # thead, tbody
        for row in section.children:
            rows.append(tuple(inlines_of(cell.children[0], ctx) if cell.children else ()
                              for cell in row.children))
    return [Table(ctx.loc(node), rows[0] if rows else (), tuple(rows[1:]))]


def _html_block(node, ctx):
    html = node.content
    loc = ctx.loc(node)
    if html.lstrip().startswith("<!--"):
        return _comment(html, node, ctx)
    if _DECORATION.fullmatch(html):
        return []
    opening = _DIV_OPEN.match(html)
    if opening:
        return _div_wrapper(html, opening, node, ctx)
    ctx.warn(Kind.RAW_HTML, loc, f"raw HTML is shown as text: {_first_line(html)}")
    return [RawHtml(loc, html.rstrip("\n"))]


def _comment(html, node, ctx):
    loc = ctx.loc(node)
    start = html.index("<!--") + 4
    end = html.find("-->", start)
    if end < 0:
        # CommonMark lets an unclosed comment swallow the rest of the note: read that rest as
        # Markdown instead, so nothing disappears.
        ctx.warn(Kind.UNCLOSED_COMMENT, loc, "HTML comment is never closed; the rest is kept")
        return _reparse(html[start:], node, ctx)
    ctx.warn(Kind.HIDDEN_COMMENT, loc, "HTML comment is not shown to readers")
    rest = html[end + 3 :]
    return _reparse(rest, node, ctx) if rest.strip() else []


def _div_wrapper(html, opening, node, ctx):
    inner = html[opening.end() :]
    inner = _DIV_CLOSE.sub("", inner)
    return _reparse(inner, node, ctx, skipped=html[: opening.end()])


def _reparse(text, node, ctx, skipped: str = ""):
    """Parse part of an HTML block as Markdown, keeping line numbers right."""
    if not text.strip():
        return []
    offset = ctx.offset + node.map[0] + skipped.count("\n")
    inner_ctx = replace(ctx, offset=offset)
    env: dict = {}
    return _nodes(markdown().parse(text, env), env, inner_ctx)


def _first_line(html: str) -> str:
    line = html.strip().splitlines()[0] if html.strip() else ""
    return line[:60] + ("…" if len(line) > 60 else "")


_BLOCK_HANDLERS = {
    "heading": _heading,
    "paragraph": _paragraph,
    "fence": _fence,
    "code_block": _code_block,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _quote,
    "table": _table,
    "html_block": _html_block,
}


# --- Inlines ----------------------------------------------------------------------------------


def inlines_of(inline_node: SyntaxTreeNode, ctx: BlockContext) -> tuple[Inline, ...]:
    """Convert an ``inline`` node's children, locating messages at its first line."""
    loc = ctx.loc(inline_node)
    return close_cjk_emphasis(tuple(_inlines(inline_node.children, loc, ctx)))


def _inlines(nodes, loc: Location, ctx: BlockContext):
    for node in nodes:
        yield from _inline(node, loc, ctx)


def _inline(node, loc, ctx):
    kind = node.type
    if kind == "text":
        # markdown-it leaves empty text tokens around emphasis (``**3、…？**``); dropping them
        # lets "a paragraph that is all bold" be recognised.
        if node.content:
            yield Text(node.content)
    elif kind == "text_special":
        yield Text(node.content, literal=True)
    elif kind == "softbreak":
        yield SoftBreak()
    elif kind == "hardbreak":
        yield HardBreak()
    elif kind == "code_inline":
        yield Code(node.content)
    elif kind == "em":
        yield Emph(tuple(_inlines(node.children, loc, ctx)))
    elif kind == "strong":
        yield Strong(tuple(_inlines(node.children, loc, ctx)))
    elif kind == "link":
        yield _link(node, loc, ctx)
    elif kind == "image":
        yield _image(node, loc, ctx)
    elif kind == "html_inline":
        yield from _html_inline(node.content, loc, ctx)
    else:
        yield Text(node.content)


def _link(node, loc, ctx) -> Link:
    href = node.attrs.get("href", "")
    children = tuple(_inlines(node.children, loc, ctx))
    title = node.attrs.get("title", "") or ""
    if is_url(href) and not re.match(r"(?i)(https?|mailto):", href):
        ctx.warn(Kind.UNSAFE_LINK, loc, f"link readers cannot follow, shown as text: {href[:80]}")
        return Link(href, children, title)
    if is_url(href) or href.startswith("#"):
        return Link(href, children, title)
    return Link(href, children, title, resolve_link(href, loc, ctx.paths))


def _image(node, loc, ctx) -> InlineImage:
    written = unquote(node.attrs.get("src", ""))
    title = node.attrs.get("title", "") or ""
    alt = node.content
    return InlineImage(alt, written, title, resolve_image(written, loc, ctx.paths))


def _html_inline(html, loc, ctx):
    tag = _INLINE_TAG.fullmatch(html)
    if tag:
        closing, name = tag.group(1), tag.group(2).lower()
        yield HardBreak() if name == "br" else RawInline(f"<{closing}{name}>")
    elif html.startswith("<!--"):
        ctx.warn(Kind.HIDDEN_COMMENT, loc, "HTML comment is not shown to readers")
    else:
        ctx.warn(Kind.RAW_HTML, loc, f"raw HTML is shown as text: {html[:60]}")
        yield Text(html)


# --- Figures ----------------------------------------------------------------------------------


def split_figures(paragraph: Paragraph) -> list[Block]:
    """Lift images that stand on a line of their own out of a paragraph, as figures.

    Notes put a figure on its own line, often right under a text line with no blank line in
    between; such an image is a figure of the book, not an inline picture. A link to an image
    file is a figure too: on a line of its own in place of the link, inside a sentence right
    after the paragraph (the sentence keeps the link's words).
    """
    lines = [[_as_image(i) for i in line] if _is_image_line([_as_image(i) for i in line])
             else line for line in split_lines(paragraph.inlines)]
    linked = [Figure(paragraph.loc, inline_text(i.children), i.href, i.title, i.local)
              for line in lines for i in line if _is_image_link(i)]
    if not any(_is_image_line(line) for line in lines):
        return [paragraph, *linked]
    out: list[Block] = []
    pending: list[Inline] = []
    pending_line = 0
    base = paragraph.loc
    for number, line in enumerate(lines):
        loc = Location(base.path, base.line + number)
        if not _is_image_line(line):
            if not pending:
                pending_line = loc.line
            pending.extend(line)
            continue
        if pending:
            out.append(Paragraph(Location(base.path, pending_line), trim_break(pending)))
            pending = []
        out.extend(Figure(loc, i.alt, i.written, i.title, i.file)
                   for i in line if isinstance(i, InlineImage))
    if pending:
        out.append(Paragraph(Location(base.path, pending_line), trim_break(pending)))
    return out + linked


def _is_image_link(inline: Inline) -> bool:
    return isinstance(inline, Link) and inline.local is not None and bool(inline.local.format)


def _as_image(inline: Inline) -> Inline:
    """A link to an image file, as the image it links to (for a line holding only that)."""
    if _is_image_link(inline):
        assert isinstance(inline, Link)
        return InlineImage(inline_text(inline.children), inline.href, inline.title, inline.local)
    return inline


def split_paragraph_at(node, starts: Callable[[str], bool]) -> list:
    """A paragraph cut before each of its lines whose text ``starts`` a piece (``答：…``, a
    numbered question); the other lines join the piece above. Any other block is kept whole."""
    if not isinstance(node, Paragraph):
        return [node]
    out: list[Paragraph] = []
    for offset, line in enumerate(tuple(line) for line in split_lines(node.inlines)):
        if not line:
            continue
        if out and not starts(inline_text(line)):
            out[-1] = replace(out[-1], inlines=out[-1].inlines + line)
        else:
            out.append(Paragraph(Location(node.loc.path, node.loc.line + offset), line))
    return [replace(p, inlines=trim_break(p.inlines)) for p in out]


def split_lines(inlines: tuple[Inline, ...]) -> list[list[Inline]]:
    """Split top-level inlines into lines; each line keeps the break that ends it."""
    lines: list[list[Inline]] = [[]]
    for inline in inlines:
        lines[-1].append(inline)
        if isinstance(inline, SoftBreak | HardBreak):
            lines.append([])
    return lines


def _is_image_line(line: list[Inline]) -> bool:
    content = [i for i in line if not isinstance(i, SoftBreak | HardBreak)
               and not (isinstance(i, Text) and not i.text.strip())]
    return bool(content) and all(isinstance(i, InlineImage) for i in content)


def trim_break(inlines) -> tuple[Inline, ...]:
    inlines = tuple(inlines)
    while inlines and isinstance(inlines[-1], SoftBreak | HardBreak):
        inlines = inlines[:-1]
    return tuple(inlines)
