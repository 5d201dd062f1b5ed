"""The small shared vocabulary (levels, scores, sources), light enough for the start-up path to import."""

LEVELS = ("beginner", "intermediate", "advanced")
SCORES = ("weak", "ok", "strong")  # the rubric tiers
REVIEW_SCORES = (*SCORES, "easy")  # what the review log holds: Easy is a self-score for effortless answers
SOURCES = ("self", "mock")
THEMES = ("system", "light", "dark")  # colour scheme choices: follow the system, or force one
# How a score is written everywhere it is shown: lists, buttons, summaries, exports.
SCORE_NAMES = {"weak": "Weak", "ok": "OK", "strong": "Strong", "easy": "Easy"}
SKIPPED = "Skipped"
