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


class LoopProbe:
    """A 1 ms precise Qt timer: the longest gap between its ticks is the longest time the event loop was busy.

    Imports Qt lazily so benchmarks without a window can import this module.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer(interval=1)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now

    def run(
        self, app: object, until: Callable[[], bool], timeout: float = 60.0, action: Callable[[], object] | None = None
    ) -> float:
        """Spin the loop until `until()` holds; returns the seconds it took. `action` runs inside the loop
        once the probe is ticking, so the time it takes on the UI thread counts as a stall."""
        from PySide6.QtCore import QTimer

        self.gaps.clear()
        started = self.last = time.perf_counter()
        self.timer.start()
        if action is not None:
            QTimer.singleShot(2, action)
        end = started + timeout
        while not until() and time.perf_counter() < end:
            app.processEvents()  # type: ignore[attr-defined]
            time.sleep(0.0005)
        self.timer.stop()
        return time.perf_counter() - started


def store_with_history(tmp: Path, questions: int, reviews: int) -> tuple[object, list[str]]:
    """A store synced from a synthetic bank, with `reviews` scores over a year on 60% of its questions,
    and the schedule built from them. Returns the open store and the studied question ids."""
    from desktop_app.core.store import Store

    bank = write_synthetic_bank(tmp / "bank", questions)
    store = Store.open(tmp / "data" / "mlprep.sqlite3")
    store.bank.sync([bank])
    qids = [str(r[0]) for r in store.execute("SELECT qid FROM question_row")]
    rng = random.Random(5)
    now = time.time()
    studied = qids[: int(len(qids) * 0.6)]
    rows = [
        (
            rng.choice(studied),
            now - rng.random() * 365 * 86400,
            rng.choice(("weak", "ok", "strong", "strong")),
            "mock" if rng.random() < 0.2 else "self",
            30.0,
        )
        for _ in range(reviews)
    ]
    with store._db.atomic():
        store._db.cursor().executemany(
            "INSERT INTO review (qid, reviewed_at, score, source, seconds) VALUES (?, ?, ?, ?, ?)", rows
        )
    t = time.perf_counter()
    store.sched.rebuild()
    print(
        f"{reviews:,} reviews on {len(studied):,} questions; full rebuild of the schedule: {time.perf_counter() - t:.1f} s"
    )
    return store, studied


def synced_bank(questions: int) -> tuple[Path, Path]:
    """A synthetic bank of `questions` and a store synced from it, made once and kept between runs in the
    temp folder (a 100,000-question bank takes a minute to write and sync). Returns (bank, store file);
    copy the store (`data_dir_with`) rather than opening it, so every run starts from the same state."""
    import tempfile

    from desktop_app.core.store import DB_FILENAME, Store

    root = Path(tempfile.gettempdir()) / "mlprep-bench-cache" / str(questions)
    bank, store_path = root / "bank", root / "template" / DB_FILENAME
    if not (root / "ready").exists():
        import shutil

        shutil.rmtree(root, ignore_errors=True)
        write_synthetic_bank(bank, questions)
        store = Store.open(store_path)
        store.bank.sync([bank])
        store.close()
        (root / "ready").write_text("ok")
    return bank, store_path


def data_dir_with(store_path: Path, prefix: str = "mlprep-bench-") -> Path:
    """A fresh data dir holding a copy of a synced store."""
    import shutil
    import tempfile

    data = Path(tempfile.mkdtemp(prefix=prefix))
    shutil.copy(store_path, data / store_path.name)
    return data


def pss_mb(pid: int) -> float:
    """Proportional set size of a process (Linux): its share of the memory it uses, shared pages split."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no Pss line")
