"""Lists in two parts: the first page at once, then the whole order; both agree with a plain query."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from bench.common import write_synthetic_bank
from desktop_app.core.store import Store
from desktop_app.core.store.listing import PAGE, ListQuery, first_page, nums_of, summaries, whole_list
from desktop_app.core.store.search import SEARCH_CANDIDATES


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """600 questions in 20 topics, some studied, bookmarked and scored Weak or OK."""
    tmp = tmp_path_factory.mktemp("listing")
    bank = write_synthetic_bank(tmp / "bank", 600)
    s = Store.open(tmp / "data" / "mlprep.sqlite3")
    s.bank.sync([bank])
    qids = [str(r[0]) for r in s.execute("SELECT qid FROM question_row ORDER BY num")]
    for i, qid in enumerate(qids[::7]):
        s.reviews.record(qid, ("weak", "ok", "strong", "easy")[i % 4], at=time.time() - 5 * 86400)
    for qid in qids[3::50]:
        s.notes.set_bookmark(qid, True)
    yield s
    s.close()


QUERIES = [
    ListQuery(),
    ListQuery(topic_id="synthetic-3"),
    ListQuery(level="advanced"),
    ListQuery(topic_id="synthetic-5", level="beginner"),
    ListQuery(status="unreviewed"),
    ListQuery(status="weak_ok"),
    ListQuery(status="bookmarked"),
    ListQuery(status="due"),
    ListQuery(status="due", topic_id="synthetic-2"),
    ListQuery(search="model"),
    ListQuery(search="gra"),
    ListQuery(search="gra to", level="intermediate"),
    ListQuery(search="model", status="unreviewed"),
    ListQuery(search="model", status="weak_ok"),
    ListQuery(search="model", status="due"),
    ListQuery(search="zzzz"),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q)[9:60])
def test_the_whole_list_begins_with_the_first_page_and_matches_the_full_read(big: Store, query: ListQuery) -> None:
    execute = big._db.execute_sql
    first = first_page(execute, query)
    whole = whole_list(execute, query, first)
    nums = list(whole.nums)
    assert len(set(nums)) == len(nums), "no question twice"
    assert nums[: len(first.rows)] == [r.num for r in first.rows]
    if query.search:  # the ranked candidates of a bounded search
        assert len(first.rows) <= 2 * SEARCH_CANDIDATES
    else:
        assert len(first.rows) <= PAGE and (first.complete or len(first.rows) == PAGE)
    rows = summaries(execute, nums)
    assert [r.num for r in rows] == nums
    live = {str(r[0]) for r in big.execute("SELECT qid FROM question_row WHERE retired = 0")}
    for r in rows:
        assert r.qid in live
        if query.topic_id:
            assert r.topic_id == query.topic_id
        if query.level:
            assert r.level == query.level
        if query.status == "unreviewed":
            assert r.last_score is None
        if query.status == "weak_ok":
            assert r.last_score in ("weak", "ok")
        if query.status == "bookmarked":
            assert r.bookmarked
    if query.search:
        words = query.search.split()
        for r in rows[:50]:
            q = big.questions.get(r.qid)
            assert q is not None
            text = " ".join([q.question, q.answer, *q.follow_ups, *q.tags])
            assert all(re.search(r"\b" + w, text, re.IGNORECASE) for w in words), (r.qid, words)


def test_browsing_reads_the_list_in_bank_order_and_counts_every_match(big: Store) -> None:
    execute = big._db.execute_sql
    everything = [int(r[0]) for r in big.execute("SELECT num FROM question_row WHERE retired = 0 ORDER BY sort_key")]  # type: ignore[call-overload]
    first = first_page(execute, ListQuery())
    assert not first.complete and list(whole_list(execute, ListQuery(), first).nums) == everything
    # Row numbers keep the order of the query they come from (they travel as one string).
    backwards = nums_of(execute, "SELECT num AS n FROM question_row ORDER BY sort_key DESC")
    assert list(backwards) == [int(r[0]) for r in big.execute("SELECT num FROM question_row ORDER BY sort_key DESC")]  # type: ignore[call-overload]
    match_count = big.execute("SELECT count(*) FROM question_search WHERE question_search MATCH '\"model\"*'")[0][0]
    assert (
        whole_list(execute, ListQuery(search="model"), first_page(execute, ListQuery(search="model"))).total
        == match_count
        == 600
    )


def test_a_search_that_finds_nothing_suggests_spellings_the_bank_has(big: Store) -> None:
    execute = big._db.execute_sql
    word = str(big.execute("SELECT term FROM search_term WHERE length(term) = 8 ORDER BY docs DESC LIMIT 1")[0][0])
    typo = word[:3] + word[4:]  # one letter left out
    query = ListQuery(search=typo)
    whole = whole_list(execute, query, first_page(execute, query))
    assert whole.total == 0 and any(word in s for s in whole.suggestions)
