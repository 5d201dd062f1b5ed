"""Editorial checks on a bank beyond validity: answer length, follow-ups, level mix, near-duplicates, coding solutions.

Run as ``python -m desktop_app.core.quality question_data [--run-solutions]`` while writing content.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.bank import LEVELS, Bank, Question, load_bank

MIN_ANSWER_WORDS = 80
MAX_ANSWER_WORDS = 350
MAX_DESIGN_ANSWER_WORDS = 700
MIN_FOLLOW_UPS = 3
MIN_LEVEL_SHARE = 0.20
QUESTION_SIMILARITY = 0.7  # Jaccard of content words in the question text
ANSWER_OVERLAP = 0.25  # share of the shorter answer's word 4-grams found in the other
DESIGN_TOPICS = {"ml-system-design"}

_STOP = set(
    """a an the and or of to in on for with by is are be what how why when which who do does you your
    it its this that these those as at from into can would should could will we i me my our between vs versus
    explain describe give walk through tell about compare contrast difference differences their them they
    there here if than then so not no use used using one two some any all each more most""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def question_key(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in words(text) if w not in _STOP)


def question_grams(text: str, n: int = 4) -> frozenset[str]:
    """Character runs of the content words run together, so "trade-off", "trade off" and "tradeoff" agree."""
    joined = "".join(_stem(w) for w in words(text) if w not in _STOP)
    return frozenset(joined[i : i + n] for i in range(len(joined) - n + 1))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    ws = [_stem(w) for w in words(text)]
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


@dataclass(frozen=True)
class Finding:
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.message}"


def answer_word_count(q: Question) -> int:
    # Code blocks count: they are part of what the user reads.
    return len(q.answer.split())


def length_findings(bank: Bank) -> list[Finding]:
    out = []
    for q in bank.questions:
        n = answer_word_count(q)
        limit = MAX_DESIGN_ANSWER_WORDS if q.topic_id in DESIGN_TOPICS else MAX_ANSWER_WORDS
        if n < MIN_ANSWER_WORDS or n > limit:
            out.append(Finding(q.id, f"answer has {n} words; expected {MIN_ANSWER_WORDS} to {limit}"))
        if len(q.follow_ups) < MIN_FOLLOW_UPS:
            out.append(Finding(q.id, f"{len(q.follow_ups)} follow-ups; expected at least {MIN_FOLLOW_UPS}"))
        if not q.tags:
            out.append(Finding(q.id, "no tags"))
    return out


def level_mix(bank: Bank) -> dict[str, Counter[str]]:
    mix: dict[str, Counter[str]] = defaultdict(Counter)
    for q in bank.questions:
        mix[q.topic_id][q.level] += 1
    return mix


def level_findings(bank: Bank) -> list[Finding]:
    out = []
    for topic_id, counts in level_mix(bank).items():
        total = sum(counts.values())
        for level in LEVELS:
            if counts[level] < MIN_LEVEL_SHARE * total:
                out.append(Finding(topic_id, f"{counts[level]} of {total} questions are {level}; need at least 20%"))
    return out


def near_duplicates(questions: Iterable[Question]) -> list[tuple[str, str, str]]:
    """Pairs that ask the same thing, by question wording or by answers that share long runs of words."""
    qs = list(questions)
    keys = [question_key(q.question) for q in qs]
    grams = [question_grams(q.question) for q in qs]
    shingles = [_shingles(q.answer) for q in qs]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, sh in enumerate(shingles):
        for s in sh:
            index[s].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in index.values():
        if len(ids) > 50:  # boilerplate phrase, says nothing about duplication
            continue
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                shared[(ids[a], ids[b])] += 1
    out: list[tuple[str, str, str]] = []
    for (i, j), n in shared.items():
        smaller = min(len(shingles[i]), len(shingles[j])) or 1
        if n / smaller >= ANSWER_OVERLAP:
            out.append((qs[i].id, qs[j].id, f"answers share {n / smaller:.0%} of their 4-word runs"))
    for i in range(len(qs)):
        for j in range(i + 1, len(qs)):
            sim = max(_jaccard(keys[i], keys[j]), _jaccard(grams[i], grams[j]))
            if sim >= QUESTION_SIMILARITY:
                out.append((qs[i].id, qs[j].id, f"questions are {sim:.0%} the same words"))
    return out


SOLUTION_TIMEOUT_S = 30.0


def run_solution(q: Question, timeout: float = SOLUTION_TIMEOUT_S) -> str | None:
    """Run a coding question's solution and then its tests in one fresh interpreter; None means they pass."""
    assert q.solution is not None
    program = q.solution + "\n\n# --- tests ---\n" + (q.tests or "")
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", program],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-3:]
        return " | ".join(tail)
    return None


def solution_findings(bank: Bank) -> list[Finding]:
    coded = [q for q in bank.questions if q.solution]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run_solution, coded))
    return [Finding(q.id, f"solution fails its tests: {r}") for q, r in zip(coded, results, strict=True) if r]


def main(argv: list[str]) -> int:
    run = "--run-solutions" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or [Path("question_data")]
    bank, problems = load_bank(paths)
    for p in problems:
        print(p)
    findings = length_findings(bank) + level_findings(bank)
    if run:
        findings += solution_findings(bank)
    for f in findings:
        print(f)
    dups = near_duplicates(bank.questions)
    for a, b, why in dups:
        print(f"near-duplicate: {a} ~ {b}: {why}")
    for topic in bank.topics:
        counts = level_mix(bank)[topic.id]
        print(f"{topic.id}: {sum(counts.values())} questions " + ", ".join(f"{lv} {counts[lv]}" for lv in LEVELS))
    return 1 if problems or findings or dups else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
