"""Big inputs: a 500 KB text (about 8 hours of speech) plans in bounded memory, every word kept,
and no sentence longer than LONGEST_SENTENCE_CHARS, whatever the punctuation."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from audioleaflet.text.sentences import LONGEST_SENTENCE_CHARS, split_sentences

_SENTENCES = [
    "Tag {n} tabletter på dag {k}.",
    "Ring til os, hvis du får kvalme ({k}).",
    "Dosis {k} er {n},5 mg dagligt.",
    "Opbevar den ved højst {n} °C ({k}).",
    "Spørg lægen om punkt {k}.",
]
_WORDS = ["tag", "pillen", "med", "vand", "hver", "morgen", "og", "aften",
          "efter", "maden", "når", "du", "har", "spist"]  # fmt: skip


def _book(size: int, seed: int = 5) -> str:
    """Danish text as copied out of a PDF: hard wraps, a heading every few paragraphs, a page
    number line at each page break. Short sentences with a running number, so no wrapped line
    repeats (a repeated line near the top reads as a running header)."""
    rng = random.Random(seed)
    lines = ["Prøvebog", ""]
    length = chapter = page = count = 0
    while length < size:
        chapter += 1
        lines += [f"Afsnit {chapter} om behandlingen", ""]
        for _paragraph in range(3):
            said = []
            for _ in range(8):
                count += 1
                said.append(rng.choice(_SENTENCES).format(n=rng.randint(2, 9), k=count))
            lines += [*textwrap.wrap(" ".join(said), 72), ""]
        page += 1
        lines += [f"Side {page} af 999", ""]
        length = sum(len(line.encode()) + 1 for line in lines)
    return "\n".join(lines) + "\n"


# Plans the text named on the command line in a fresh process, after planning a small text so
# that every module and language table is loaded, and reports how far the peak memory rose.
_PLAN = """
import json, resource, sys
from pathlib import Path
from audioleaflet.planning.plan import plan
from audioleaflet.readers.sources import find_leaflets
plan(find_leaflets([Path(sys.argv[1])], "da"), "da")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
(item,) = plan(find_leaflets([Path(sys.argv[2])], "da"), "da")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sources = [s.source for _title, sentences in item.chapters for s in sentences]
print(json.dumps({"rise_kb": after - before, "chapters": len(item.chapters), "sources": sources}))
"""


def test_a_500_kb_text_plans_in_bounded_memory_with_every_word(tmp_path: Path) -> None:
    small, big = tmp_path / "da-lille.txt", tmp_path / "da-stor.txt"
    small.write_text(_book(2_000), encoding="utf-8")
    text = _book(500_000)
    big.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", _PLAN, str(small), str(big)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    planned = json.loads(result.stdout)
    # The plan holds the text a few times over (source and spoken form, per sentence), never
    # more: 500 KB of text must not cost more memory than this.
    assert planned["rise_kb"] < 64_000
    assert planned["chapters"] > 255  # more than one ID3 table of contents can list
    sources: list[str] = planned["sources"]
    assert max(len(source) for source in sources) <= LONGEST_SENTENCE_CHARS
    # Every word, in order (the headings are spoken too); only the page numbers are gone.
    kept = " ".join(sources).split()
    page_numbers = re.compile(r"^Side \d+ af 999$", re.MULTILINE)
    assert kept == page_numbers.sub("", text).split()


def test_a_10000_word_run_on_is_split_into_short_sentences_keeping_every_word() -> None:
    rng = random.Random(3)
    words = [rng.choice(_WORDS) for _ in range(10_000)]
    for joiner in (" ", ", ", " og "):
        text = joiner.join(words) + "."
        parts = split_sentences(text, "da")
        assert len(parts) > 100
        assert max(map(len, parts)) <= LONGEST_SENTENCE_CHARS
        assert " ".join(parts).split() == text.split()


def test_one_overlong_token_is_cut_into_parts_that_fit() -> None:
    token = "".join(random.Random(4).choice("abcdef0123456789") for _ in range(5_000))
    parts = split_sentences(token, "da")
    assert max(map(len, parts)) <= LONGEST_SENTENCE_CHARS
    assert "".join(parts) == token
