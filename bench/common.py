"""Shared bench helpers: a synthetic bank, percentiles, and a fixed CPU workload as the machine's baseline."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

EVERYWHERE = "model"  # appears in every synthetic question: the worst case for search


def machine_baseline_ms(repeats: int = 7) -> float:
    """Median time of a fixed pure-Python workload; figures are printed beside it (and as ratios to it)."""

    def work() -> int:
        total = 0
        for i in range(200_000):
            total += i * i % 7
        return total

    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        work()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed_ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def write_synthetic_bank(folder: Path, questions: int, topics: int = 20, seed: int = 7) -> Path:
    """Topic files in the real format, with varied vocabulary so prefix searches behave realistically."""
    rng = random.Random(seed)
    syllables = ["ra", "to", "ne", "li", "mo", "ka", "ve", "su", "di", "pe", "gra", "dient", "ten", "sor", "lo", "ss"]
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)})
    folder.mkdir(parents=True, exist_ok=True)
    per_topic = questions // topics
    n = 0
    for t in range(topics):
        parts = [f'[topic]\nid = "synthetic-{t}"\ntitle = "Synthetic topic {t}"\norder = {t}\n']
        for i in range(per_topic):
            words = " ".join(rng.choice(vocab) for _ in range(12))
            answer = " ".join(rng.choice(vocab) for _ in range(90))
            level = ("beginner", "intermediate", "advanced")[i % 3]
            parts.append(
                f'\n[[questions]]\nid = "syn-{t}-{i}"\nquestion = "Explain the {EVERYWHERE} {words}?"\n'
                f'level = "{level}"\ntags = ["{rng.choice(vocab)}"]\n'
                f"answer = '''\n- {answer}\n\n```python\nx = {i}\n```\n'''\n"
                f'follow_ups = ["Why {rng.choice(vocab)}?", "How {rng.choice(vocab)}?", "When {rng.choice(vocab)}?"]\n'
                f'[questions.rubric]\nstrong = "s {i}"\nok = "o {i}"\nweak = "w {i}"\n'
            )
            n += 1
        (folder / f"synthetic-{t}.toml").write_text("".join(parts), encoding="utf-8")
    return folder
