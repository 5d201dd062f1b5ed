"""Peewee models of the store; unbound here so each Store binds them to its own database file."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


class TopicRow(BaseModel):
    """A topic as last synced from the bank; retired topics keep their row so history has a home."""

    id = CharField(primary_key=True)
    title = TextField()
    description = TextField(default="")
    order = IntegerField(default=1000)
    source = TextField(default="")  # the bank file it came from
    retired = BooleanField(default=False)


class QuestionRow(BaseModel):
    """A copy of a bank question; `qid` is the permanent id that user data refers to."""

    num = AutoField()  # integer rowid, shared with the search index
    qid = CharField(unique=True)
    topic_id = CharField()
    position = IntegerField(default=0)  # order within its topic file, for a stable list order
    question = TextField()
    level = CharField()
    answer = TextField()  # compressed when long (bankindex.pack_text); read it with unpack_text
    follow_ups = TextField()  # JSON list
    tags = TextField(default="[]")  # JSON list
    rubric_strong = TextField()  # JSON list: the essentials of a strong answer
    rubric_ok = TextField()
    rubric_weak = TextField()
    rubric_also_good = TextField(default="[]")  # JSON list
    solution = TextField(null=True)
    tests = TextField(null=True)
    content_hash = CharField()
    retired = BooleanField(default=False)
    sort_key = IntegerField(default=0)  # the list order, derived at sync (bankindex.refresh_order)


class Review(BaseModel):
    """One score given to a question: by the user ("self") or by the mock interviewer ("mock").

    Keyed by question id, not by row number, so it survives any change to the bank.
    """

    id = AutoField()
    qid = CharField(index=True)
    reviewed_at = FloatField(index=True)  # Unix time, UTC
    score = CharField()  # strong | ok | weak
    source = CharField(default="self")
    seconds = FloatField(default=0.0)


class Progress(BaseModel):
    """Per-question summary of the review log, kept in step with it so lists filter fast.

    It is derived data: Store.rebuild_progress() recomputes it from the log at any time.
    """

    qid = CharField(primary_key=True)
    last_score = CharField()
    last_reviewed_at = FloatField()
    reviews = IntegerField(default=0)


class Bookmark(BaseModel):
    qid = CharField(primary_key=True)
    created_at = FloatField()


class Note(BaseModel):
    qid = CharField(primary_key=True)
    text = TextField()
    updated_at = FloatField()


class BankFile(BaseModel):
    """Fingerprint of each synced bank file, so an unchanged bank is recognised without parsing it."""

    path = TextField(primary_key=True)
    size = IntegerField()
    mtime_ns = IntegerField()
    sha = CharField()


class MockSession(BaseModel):
    """One mock interview: how it was set up, how it ended, and what it cost."""

    id = AutoField()
    started_at = FloatField()
    ended_at = FloatField(null=True)
    mode = CharField()  # claude | offline
    model = CharField(default="")
    status = CharField(default="active")  # active | completed | interrupted
    config = TextField(default="{}")  # JSON: topics, level, questions, time limit, follow-up rounds
    input_tokens = IntegerField(default=0)
    output_tokens = IntegerField(default=0)
    cache_read_tokens = IntegerField(default=0)
    cache_write_tokens = IntegerField(default=0)
    cost_usd = FloatField(default=0.0)
    summary = TextField(default="")  # JSON, written when the session ends


class MockTurn(BaseModel):
    """One entry of a mock transcript. The user's answer is written before it is sent, so no fault loses it."""

    id = AutoField()
    session = ForeignKeyField(MockSession, backref="turns", on_delete="CASCADE")
    seq = IntegerField()  # order in the transcript
    qid = CharField()
    round = IntegerField(default=0)  # 0: the bank question; 1..N: follow-ups
    kind = CharField()  # question | answer | feedback | notice
    text = TextField(default="")
    grade = TextField(null=True)  # JSON of the structured grade, on feedback turns
    seconds = FloatField(default=0.0)  # time taken to answer, on answer turns
    created_at = FloatField()

    class Meta:
        indexes = ((("session", "seq"), True),)


class CardState(BaseModel):
    """FSRS state of a question, derived from the review log (Store.rebuild_schedule recomputes it)."""

    qid = CharField(primary_key=True)
    # Copied from the question and the log so the dashboard aggregates this one narrow table, no joins.
    topic_id = CharField()
    level = CharField()
    last_self_score = CharField(null=True)
    last_mock_score = CharField(null=True)
    state = IntegerField()  # fsrs.State: 1 learning, 2 review, 3 relearning
    step = IntegerField(null=True)
    stability = FloatField(null=True)
    difficulty = FloatField(null=True)
    due = FloatField()  # Unix time
    last_review = FloatField(null=True)
    first_review = FloatField(index=True)  # when the question was first seen: the daily new-card limit counts these

    class Meta:
        # Covering indexes: each dashboard aggregate and the due count read one index, never the table.
        indexes = (
            (("due", "qid"), False),
            (("topic_id", "level", "qid", "stability", "last_review"), False),
            (("topic_id", "last_self_score", "last_mock_score", "qid"), False),
        )


class Activity(BaseModel):
    """Reviews per local day, for the heatmap and the streak without scanning the whole log."""

    day = IntegerField(primary_key=True)  # date.toordinal() of the local day
    reviews = IntegerField(default=0)


class AppSetting(BaseModel):
    """Study settings shared by the window and the command line (retention, new per day, interview date)."""

    key = CharField(primary_key=True)
    value = TextField()


# The tables are created by the SQL in migrations.py; the models only read and write them.
MODELS: list[type[Model]] = [
    TopicRow,
    QuestionRow,
    Review,
    Progress,
    Bookmark,
    Note,
    BankFile,
    MockSession,
    MockTurn,
    CardState,
    Activity,
    AppSetting,
]
