"""Every number that decides what the matcher answers, in one place.

How they were chosen is in docs/matching.md: a grid search over the dev organisation and
the independent payments/infra organisation in tests/matching, keeping 0 confident wrong
answers on both and taking the middle of the range that does.
"""

from __future__ import annotations

# Score of an activity for a query, per name or alias, in 0..1:
#   QC_WEIGHT * (share of the query's weight the activity explains)
# + FC_WEIGHT * (share of the name's or alias's weight the query covers)
# + FULL_BONUS when the query covers every term of that name or alias.
# The query side dominates: two names that both explain the whole query fit about
# equally even when one of them is longer, which is what "ambiguous" means.
QC_WEIGHT = 0.70
FC_WEIGHT = 0.20
FULL_BONUS = 0.10
# A term found only in the description counts this much; a description-only score is
# DESC_WEIGHT * (share of the query explained), which stays below QC_WEIGHT so a
# description word alone never outweighs the same word in a name.
DESC_WEIGHT = 0.65
# One part of a folded phrase ("testing" against "penetration testing"); in name coverage
# it is further divided by the number of parts.
SOFT_FACTOR = 0.95

# Term weights: inverse document frequency scaled so a term found in one activity weighs 1.
WEAK_FACTOR = 0.5        # stopwords.WEAK: "data", "report", "team", "model", ...
UNKNOWN_WEIGHT = 1.0     # a query word that no activity contains counts against every one
SITUATION_WEIGHT = 0.15  # ... unless it only says what is wrong ("slow", "broken": stopwords.SITUATION)
NUMBER_WEIGHT = 0.3      # a bare number ("2024", the 2 of "SOC 2") says little, known or not
MIN_TERM_WEIGHT = 0.05
IDF_PSEUDO_ACTIVITIES = 10   # added to the matrix size, so 2 of 3 activities is not "common"
DESCRIPTION_DF_SHARE = 0.5   # a word in a description counts half towards how common it is

# A query word no activity explains costs what it says in ordinary English (bot/matching/english.py):
# its wordfreq Zipf frequency mapped linearly from ENGLISH_COMMON_ZIPF (costs 0: "the", "again")
# to ENGLISH_RARE_ZIPF (costs 1: "forklift", names no one else uses). Calibrated on data with
# `benchmarks/eval_matcher.py --calibrate` (docs/matching.md).
ENGLISH_COMMON_ZIPF = 6.0
ENGLISH_RARE_ZIPF = 2.5
# A word at least this common in English is read as itself, never as a typo of an activity word.
REAL_WORD_ZIPF = 4.5

# Decision.
MATCH_MIN = 0.60         # best score needed for "match" or "ambiguous"
MARGIN = 0.13            # a match must beat the next distinct activity by this much
MIN_EVIDENCE = 0.575     # summed weight of the query terms that matched the best activity
# Two activities that each explain their own part of the query ("android and ios releases")
# are ambiguous when together they would pass MATCH_MIN with full name coverage; only the
# best PAIR_CANDIDATES fits are paired.
PAIR_CANDIDATES = 5
SUGGEST_MIN = 0.30       # lowest score offered as a suggestion with "none"
MAX_SUGGESTIONS = 3
MAX_RUNNERS_UP = 2
MAX_AMBIGUOUS = 10

# Typo tolerance: edits allowed by token length, and the similarity a typo keeps.
TYPO_MIN_LEN = 4         # shorter tokens (dns, sso, k8s) must be spelled right
TYPO_TWO_EDITS_LEN = 9   # from this length two edits are allowed
TYPO_CACHE_SIZE = 4096
SPLIT_SIMILARITY = 0.95  # "bigquery" read as "big query"
PREFIX_SIMILARITY = 0.9  # "retraining" read as "training"
INITIALS_SIMILARITY = 0.95   # "human resources information system" read as "HRIS"
WORD_FORM_SIMILARITY = 0.9   # "printing" read as "printer": the same word, another role

# Bounded work for any input (issue 10): typo repair and compound splitting look at words of
# at most MAX_TYPO_WORD characters (the longest English words in use are under 30; a longer
# "word" is a hash, a URL fragment or keyboard mash), and a query is read up to MAX_QUERY_CHARS
# (a Slack question is a sentence or two; the answer says when the rest was ignored).
MAX_TYPO_WORD = 40
MAX_QUERY_CHARS = 1000

# Candidate generation (speed only; no effect on small matrices).
CANDIDATE_ENTRIES = 40   # entries taken per combination of query terms, shortest first
MAX_COMBINED_TERMS = 6   # heaviest query terms whose combinations are intersected
