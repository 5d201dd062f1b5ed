"""Editorial checks on a bank beyond validity: answer length, follow-ups, level mix, rubric shape, near-duplicates,
and coding questions whose reference solution passes its tests while every known wrong version fails them.

Run as ``python -m desktop_app.core.quality question_data [--run-solutions]`` while writing content.
"""

from __future__ import annotations

import math
import re
import signal
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.bank import LEVELS, Bank, Question, load_bank
from desktop_app.core.coderun import Job, Limits, RunResult, run_blocking
from desktop_app.core.runexplain import explain

MIN_ANSWER_WORDS = 80
MAX_ANSWER_WORDS = 350
MAX_DESIGN_ANSWER_WORDS = 700
MIN_FOLLOW_UPS = 3
MIN_LEVEL_SHARE = 0.10
# A rubric a grader can use in five minutes: a few essentials, each one short.
MIN_ESSENTIALS = 2
MAX_ESSENTIALS = 4
MAX_ESSENTIAL_WORDS = 30
MAX_ALSO_GOOD = 6
MAX_TIER_WORDS = 60  # the OK and Weak tiers
WEAK_COPIES_STRONG = 0.6  # share of the weak tier's content words that also appear in the strong tier
MIN_TEST_FUNCTIONS = 3
MIN_MUTANTS = 3
MUTANTS_FOLDER = "mutants"
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
                out.append(
                    Finding(
                        topic_id,
                        f"{counts[level]} of {total} questions are {level}; need at least {MIN_LEVEL_SHARE:.0%}",
                    )
                )
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


def rubric_findings(bank: Bank) -> list[Finding]:
    """The strong tier names a few essentials; the weak tier names what makes an answer weak."""
    out = []
    for q in bank.questions:
        r = q.rubric
        if not MIN_ESSENTIALS <= len(r.strong) <= MAX_ESSENTIALS:
            out.append(
                Finding(
                    q.id,
                    f"rubric.strong has {len(r.strong)} point(s); list the {MIN_ESSENTIALS}-{MAX_ESSENTIALS} "
                    "essentials (put the rest in rubric.also_good)",
                )
            )
        for i, point in enumerate(r.strong, 1):
            n = len(point.split())
            if n > MAX_ESSENTIAL_WORDS:
                out.append(
                    Finding(q.id, f"rubric.strong point {i} has {n} words; keep each under {MAX_ESSENTIAL_WORDS}")
                )
        if len(r.also_good) > MAX_ALSO_GOOD:
            out.append(Finding(q.id, f"rubric.also_good has {len(r.also_good)} points; at most {MAX_ALSO_GOOD}"))
        for tier in ("ok", "weak"):
            n = len(getattr(r, tier).split())
            if n > MAX_TIER_WORDS:
                out.append(Finding(q.id, f"rubric.{tier} has {n} words; keep it under {MAX_TIER_WORDS}"))
        weak = question_key(r.weak)
        strong = question_key(" ".join(r.strong))
        if weak and len(weak & strong) / len(weak) > WEAK_COPIES_STRONG:
            out.append(Finding(q.id, "rubric.weak repeats the strong tier; name the misconception or omission"))
    return out


@dataclass(frozen=True)
class Mutant:
    """A plausible wrong version of a reference solution, written as one edit of it; the tests must reject it."""

    question: str
    name: str
    why: str
    find: str
    replace: str
    source: str

    def apply(self, solution: str) -> str | None:
        """The mutated solution, or None when `find` does not occur exactly once (the solution moved on)."""
        if solution.count(self.find) != 1:
            return None
        return solution.replace(self.find, self.replace)


def load_mutants(folder: Path) -> tuple[list[Mutant], list[Finding]]:
    """Every mutants/*.toml beside a bank: [[mutants]] with question, name, why, find and replace."""
    mutants: list[Mutant] = []
    findings: list[Finding] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            findings.append(Finding(str(path), f"cannot read mutants: {exc}"))
            continue
        for i, raw in enumerate(data.get("mutants", []), 1):
            keys = ("question", "name", "why", "find", "replace")
            if not isinstance(raw, dict) or set(raw) != set(keys) or not all(isinstance(raw[k], str) for k in keys):
                findings.append(Finding(f"{path}#{i}", f"a mutant needs exactly the string keys {', '.join(keys)}"))
                continue
            mutants.append(Mutant(*(raw[k] for k in keys), source=str(path)))  # type: ignore[misc]
    return mutants, findings


SOLUTION_TIMEOUT_S = 30.0
MUTANT_TIMEOUT_S = 10.0


def run_tests(solution: str, tests: str, timeout: float = SOLUTION_TIMEOUT_S) -> str | None:
    """Run the tests against a solution the way the coding round does (the app's harness in a fresh, limited
    interpreter); None means all pass."""
    limits = Limits(wall_s=timeout, cpu_s=max(1, math.ceil(timeout)))
    result = run_blocking(Job(solution, tests, limits=limits))
    if result.timed_out or result.limit == "cpu" or result.signal == getattr(signal, "SIGXCPU", None):
        return f"timed out after {timeout:.0f} s"
    return describe_failure(result, limits)


def describe_failure(result: RunResult, limits: Limits | None = None) -> str | None:
    """One line saying what went wrong in a run, or None when every test passed."""
    if result.syntax_error is not None:
        s = result.syntax_error
        return f"{s.file} line {s.line}: syntax error: {s.message}"
    if result.setup_error is not None:
        return f"set-up of the {result.setup_error.where} failed: {result.setup_error.message}"
    if not result.finished:
        return f"the run did not finish: {explain(result, limits or Limits())}"
    failed = [t for t in result.tests if not t.passed]
    if not failed:
        return None
    first = failed[0]
    where = f" (line {first.tests_line} of the tests)" if first.tests_line else ""
    return f"{len(failed)} of {len(result.tests)} tests fail; {first.name}: {first.message}{where}"


def run_solution(q: Question, timeout: float = SOLUTION_TIMEOUT_S) -> str | None:
    """Run a coding question's solution against its tests; None means they pass."""
    assert q.solution is not None
    return run_tests(q.solution, q.tests or "", timeout)


def count_test_functions(tests: str) -> int:
    import ast

    try:
        tree = ast.parse(tests)
    except SyntaxError:
        return 0
    return sum(1 for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"))


def solution_findings(bank: Bank, mutants: list[Mutant] | None = None) -> list[Finding]:
    """Every reference solution passes its tests, and (when mutants are given) every mutant fails them."""
    coded = [q for q in bank.questions if q.solution]
    jobs: list[tuple[Question, Mutant | None, str]] = [(q, None, q.solution or "") for q in coded]
    findings: list[Finding] = []
    if mutants is not None:
        by_question: dict[str, list[Mutant]] = defaultdict(list)
        for m in mutants:
            by_question[m.question].append(m)
        known = {q.id for q in bank.questions}
        for qid in sorted(set(by_question) - known):
            findings.append(
                Finding(qid, f"mutants given for a question not in the bank ({by_question[qid][0].source})")
            )
        for q in coded:
            if count_test_functions(q.tests or "") < MIN_TEST_FUNCTIONS:
                findings.append(Finding(q.id, f"tests define fewer than {MIN_TEST_FUNCTIONS} test_* functions"))
            mine = by_question.get(q.id, [])
            if len(mine) < MIN_MUTANTS:
                findings.append(Finding(q.id, f"{len(mine)} mutant(s); write at least {MIN_MUTANTS}"))
            for m in mine:
                mutated = m.apply(q.solution or "")
                if mutated is None:
                    findings.append(
                        Finding(q.id, f"mutant '{m.name}': its 'find' text is not in the solution exactly once")
                    )
                elif mutated == q.solution:
                    findings.append(Finding(q.id, f"mutant '{m.name}' changes nothing"))
                else:
                    jobs.append((q, m, mutated))

    def run(job: tuple[Question, Mutant | None, str]) -> str | None:
        q, mutant, solution = job
        if mutant is None:
            return run_tests(solution, q.tests or "")
        try:
            compile(solution, "mutant", "exec")
        except SyntaxError as exc:
            return f"does not compile ({exc.msg}); a mutant must be plausible code"
        result = run_tests(solution, q.tests or "", MUTANT_TIMEOUT_S)
        return "passes every test; strengthen the tests" if result is None else None

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, jobs))
    for (q, mutant, _src), result in zip(jobs, results, strict=True):
        if result is None:
            continue
        if mutant is None:
            findings.append(Finding(q.id, f"solution fails its tests: {result}"))
        else:
            findings.append(Finding(q.id, f"mutant '{mutant.name}' {result}"))
    return findings


def main(argv: list[str]) -> int:
    run = "--run-solutions" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or [Path("question_data")]
    bank, problems = load_bank(paths)
    for p in problems:
        print(p)
    findings = length_findings(bank) + level_findings(bank) + rubric_findings(bank)
    if run:
        mutants: list[Mutant] = []
        for folder in {(p if p.is_dir() else p.parent) / MUTANTS_FOLDER for p in paths}:
            found, bad = load_mutants(folder)
            mutants += found
            findings += bad
        findings += solution_findings(bank, mutants)
    for f in findings:
        print(f)
    dups = near_duplicates(bank.questions)
    for a, b, why in dups:
        print(f"near-duplicate: {a} ~ {b}: {why}")
    mix = level_mix(bank)
    print(f"{'topic':32} {'total':>5} " + " ".join(f"{lv:>12}" for lv in LEVELS))
    for topic in bank.topics:
        counts = mix[topic.id]
        print(f"{topic.id:32} {sum(counts.values()):>5} " + " ".join(f"{counts[lv]:>12}" for lv in LEVELS))
    total = Counter(q.level for q in bank.questions)
    print(f"{'all':32} {len(bank.questions):>5} " + " ".join(f"{total[lv]:>12}" for lv in LEVELS))
    return 1 if problems or findings or dups else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
