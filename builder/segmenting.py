"""Paragraphs and sentences with stable offsets into the cleaned article text.

A paragraph is a non-empty line of the cleaned text (its anchor on the source
page is ``p<n>``, 1-based). Sentences end at 。！？；!?; (a closing quote or
bracket right after the mark stays with the sentence) or at the paragraph end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)\"']*")


@dataclass(frozen=True)
class Span:
    paragraph: int  # 1-based paragraph number
    start: int  # offsets into the article text
    end: int


def paragraphs(text: str) -> list[Span]:
    """Every non-blank line, stripped of surrounding spaces."""
    spans, pos, number = [], 0, 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            number += 1
            lead = len(line) - len(line.lstrip())
            spans.append(Span(number, pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def sentences(text: str) -> list[Span]:
    """Sentences of every paragraph, in order."""
    out: list[Span] = []
    for para in paragraphs(text):
        start = para.start
        for m in _SENTENCE_END.finditer(text, para.start, para.end):  # as in text[para.start:para.end]
            end = m.end()
            if text[start:end].strip():
                out.append(Span(para.paragraph, start, end))
            start = end
        if text[start : para.end].strip():
            out.append(Span(para.paragraph, start, para.end))
    return out


def paragraph_texts(text: str) -> list[str]:
    return [text[p.start : p.end] for p in paragraphs(text)]
