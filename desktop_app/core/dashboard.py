"""The numbers behind the readiness dashboard, each one SQL aggregate over the derived tables.

Readiness of a scope is FSRS's predicted recall on the target day (the interview, or now) averaged over
*all* its questions, an unseen question counting as 0: "Readiness 100%" with 17 of 612 questions seen
was a number nobody should believe. Coverage (seen / total) stands beside it, and the recall of the
questions seen is the third, smaller number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from desktop_app.core.schedule import decay_and_factor, make_scheduler
from desktop_app.core.store import Store
from desktop_app.core.vocab import LEVELS, REVIEW_SCORES, SCORES


@dataclass(frozen=True)
class ReadinessRow:
    topic_id: str
    title: str
    level: str  # "" for the whole topic
    seen: int
    unseen: int
    recall_seen: float | None  # mean predicted recall of the questions seen; None when none are seen

    @property
    def total(self) -> int:
        return self.seen + self.unseen

    @property
    def coverage(self) -> float | None:
        return self.seen / self.total if self.total else None

    @property
    def readiness(self) -> float | None:
        """Mean predicted recall over every question of the scope, unseen ones counting as 0."""
        if not self.total:
            return None
        return (self.recall_seen or 0.0) * self.seen / self.total


@dataclass(frozen=True)
class Dashboard:
    target: datetime
    readiness: list[ReadinessRow]
    overall: ReadinessRow
    by_level: list[ReadinessRow]
    activity: dict[int, int]  # local day ordinal -> reviews, over the past year
    streak: int
    scores: dict[str, dict[str, dict[str, int]]]  # topic -> source -> score -> questions last scored so
    calibration: dict[tuple[str, str], int]  # (self score, interviewer grade) -> questions
    forecast: list[int]  # reviews due on each of the next days; day 0 includes everything overdue


def readiness_rows(store: Store, target: datetime) -> list[ReadinessRow]:
    decay, factor = decay_and_factor(make_scheduler(store.sched.config()))
    seen = store.stats.recall_by_topic_level(target.timestamp(), decay, factor)
    rows = []
    for topic_id, title, level, total in store.stats.totals_by_topic_level():
        n, r = seen.get((topic_id, level), (0, None))
        rows.append(ReadinessRow(topic_id, title, level, n, total - n, r))
    return rows


def _combine(rows: list[ReadinessRow], topic_id: str, title: str, level: str) -> ReadinessRow:
    seen = sum(r.seen for r in rows)
    unseen = sum(r.unseen for r in rows)
    weighted = sum((r.recall_seen or 0.0) * r.seen for r in rows)
    return ReadinessRow(topic_id, title, level, seen, unseen, weighted / seen if seen else None)


def build(store: Store, now: datetime | None = None, forecast_days: int = 30) -> Dashboard:
    now = now or datetime.now().astimezone()
    config = store.sched.config()
    target = config.target(now)
    cells = readiness_rows(store, target)
    topics: dict[str, list[ReadinessRow]] = {}
    for row in cells:
        topics.setdefault(row.topic_id, []).append(row)
    per_topic = [_combine(rs, tid, rs[0].title, "") for tid, rs in topics.items()]
    by_level = [_combine([r for r in cells if r.level == lv], "", "All topics", lv) for lv in LEVELS]
    today = now.date()
    year_ago = (today - timedelta(days=365)).toordinal()
    activity = store.stats.activity_since(year_ago)
    last_scores = store.stats.last_scores()
    return Dashboard(
        target=target,
        readiness=per_topic,
        overall=_combine(cells, "", "All topics", ""),
        by_level=by_level,
        activity=activity,
        streak=store.sched.streak(today),
        scores=score_distribution(store, last_scores),
        calibration=calibration(store, last_scores),
        forecast=forecast(store, now, forecast_days),
    )


def score_distribution(
    store: Store, rows: list[tuple[str, str | None, str | None, int]] | None = None
) -> dict[str, dict[str, dict[str, int]]]:
    """Per topic, how many questions the user and the interviewer last scored Weak / OK / Strong (/ Easy)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for topic_id, own, mock, n in store.stats.last_scores() if rows is None else rows:
        by_source = out.setdefault(topic_id, {s: dict.fromkeys(REVIEW_SCORES, 0) for s in ("self", "mock")})
        if own:
            by_source["self"][own] += n
        if mock:
            by_source["mock"][mock] += n
    return out


def calibration(
    store: Store, rows: list[tuple[str, str | None, str | None, int]] | None = None
) -> dict[tuple[str, str], int]:
    """How the user's own last score compares with the interviewer's last grade on the same questions
    (an Easy self-score counts as Strong here: the interviewer has no Easy)."""
    out = {(a, b): 0 for a in SCORES for b in SCORES}
    for _topic, own, mock, n in store.stats.last_scores() if rows is None else rows:
        if own and mock:
            out[("strong" if own == "easy" else own, mock)] += n
    return out


def forecast(store: Store, now: datetime, days: int = 30) -> list[int]:
    start = datetime.combine(now.date(), datetime.min.time()).astimezone().timestamp()
    return store.stats.due_by_day(start, days)


def text_table(rows: Sequence[tuple[str, ...]], rules_after: tuple[int, ...] = (0,)) -> str:
    """Rows as aligned text for the terminal: first column left, the rest right, a rule after the given rows."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, r in enumerate(rows):
        lines.append(
            "  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True)))
        )
        if i in rules_after:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def scores_table(store: Store) -> str:
    """Per topic: questions reviewed and how many were last scored Weak, OK, Strong and Easy."""
    scores = store.stats.score_counts()
    rows: list[tuple[str, ...]] = [("Topic", "Reviewed", "Weak", "OK", "Strong", "Easy")]
    for t in store.questions.topics():
        s = scores.get(t.id, {})
        rows.append((t.title, f"{t.reviewed} / {t.total}", *(str(s.get(k, 0)) for k in REVIEW_SCORES)))
    reviewed, total = store.questions.progress_counts()
    totals = (str(sum(s.get(k, 0) for s in scores.values())) for k in REVIEW_SCORES)
    rows.append(("All questions", f"{reviewed} / {total}", *totals))
    return text_table(rows, rules_after=(0, len(rows) - 2))


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def readiness_table(d: Dashboard) -> str:
    """The readiness table as text, for `mlprep stats`."""
    when = d.target.strftime("%Y-%m-%d")
    header = ("Topic", "Readiness", "Seen", "Coverage", "Recall (seen)")

    def cells(r: ReadinessRow, title: str) -> tuple[str, ...]:
        return (title, pct(r.readiness), f"{r.seen} / {r.total}", pct(r.coverage), pct(r.recall_seen))

    rows = [header] + [cells(r, r.title) for r in [*d.readiness, d.overall]]
    rows += [cells(r, f"  {r.level}") for r in d.by_level]
    title = (
        f"Readiness on {when}: predicted recall over all the questions of each topic (unseen ones count as 0), "
        "coverage, and the recall of the ones you have seen:"
    )
    return title + "\n" + text_table(rows, rules_after=(0, len(d.readiness)))


def day_label(ordinal: int) -> str:
    return date.fromordinal(ordinal).strftime("%a %d %b %Y")
