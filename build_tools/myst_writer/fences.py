"""Code fences: which language Sphinx is told, and whether the text is code or prose.

Notes put two different things in fences. Answers from the live sessions are Chinese prose in
```` ```text ```` fences: the book prints them in the body face, line breaks kept. Code, JSON,
shell sessions and directory trees often come in untagged or ``text`` fences too: those need
the mono face, or trees lose their alignment. ``text`` names the first, ``none`` the second
(Sphinx lexes both as plain text; the CSS tells them apart by ``highlight-text``).
"""

from __future__ import annotations

import re

from pygments.lexers import get_lexer_by_name
from pygments.token import Token
from pygments.util import ClassNotFound

# The language of a fence printed in the body face, and of one printed as code with no lexer.
PROSE = "text"
PLAIN_CODE = "none"
_PLAIN_INFO = {"", "text", "plaintext", "plain", "txt"}

_TREE = re.compile(r"[├└│┌┐┘┬┴┼─]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PROMPT = re.compile(r"^\s*(?:\$|>>>|PS>|C:\\>)\s")
# A line that reads as code, a command or data rather than as a sentence.
_CODE_LINE = re.compile(
    r"""^\s*(?:
        (?:\$|>>>|\.\.\.|\#!|//|--\s|\#\s*include)\s?    # prompts, shebang, comments
      | (?:import|from|def|class|return|async|await|for|while|if|elif|else|try|except|with|raise
          |pip|pip3|python|python3|conda|git|cd|ls|export|curl|npm|docker|sudo|mkdir|echo)\b
      | [\w.\[\]'"]+\s*[+\-*/]?=\s*\S                    # assignment
      | [\w.]+\(.*\)\s*[:;,]?\s*$                         # a call
      | [{}\[\]()]+[,;]?\s*$                              # a lone bracket
      | "[^"]*"\s*:                                       # a JSON key
      | <\/?[A-Za-z][^>]*>\s*$                            # a tag
    )""",
    re.VERBOSE,
)


def fence_language(info: str, text: str = "") -> str:
    """A language Pygments knows and can lex ``text`` in; else ``none`` for code, ``text`` for
    prose.

    The info string is never passed on as written: ``{eval-rst}`` would run a directive. Notes
    put prose in ``python`` fences; Sphinx warns when it cannot lex them, so those become text.
    """
    word = info.split()[0].lower() if info.split() else ""
    fallback = PLAIN_CODE if looks_like_code(text) else PROSE
    if word in _PLAIN_INFO or not re.fullmatch(r"[a-z0-9_+#.-]+", word):
        return fallback
    try:
        lexer = get_lexer_by_name(word)
    except ClassNotFound:
        return fallback
    if any(kind is Token.Error for kind, _ in lexer.get_tokens(text)):
        return fallback
    return word


def looks_like_code(text: str) -> bool:
    """Whether a fence holds code, data, a shell session or a tree rather than sentences.

    Chinese prose (most characters Han) is never code, whatever Markdown-like marks it has.
    """
    if _TREE.search(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    if _PROMPT.match(lines[0]):  # a shell or Python session: commands and their output
        return True
    han = len(_HAN.findall(text)) / max(1, len(re.sub(r"\s", "", text)))
    if han > 0.3:
        return False
    code_lines = sum(1 for line in lines if _CODE_LINE.match(line))
    return code_lines * 2 >= len(lines)


def fence(text: str, language: str) -> str:
    """A backtick fence longer than any backtick run inside, so the content stays verbatim."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    marker = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{marker}{language}\n{body}{marker}"
