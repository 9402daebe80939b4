"""Words that carry no topic: question words, filler, and weak topic words.

`FILLER` words and `FILLER_PHRASES` are dropped from queries and activity text alike.
`WEAK` words stay but count for less, because they occur in many activities of any
organisation; the inverse-document-frequency weight handles the rest per organisation.
"""

from __future__ import annotations

import string

_FUNCTION_WORDS = """
a an the this that these those there here it its itself they them their theirs
i me my mine we us our ours you your yours he him his she her hers one ones
of for to in on at by with from into onto about around across over under after before
and or nor but so if then than as via per vs versus
is are was were be been being am do does did doing done have has had having
can could would should will shall may might must need needs needed
what which who whom whose whos where when why how whoever whichever whatever
not no yes any some all each every both either neither other another such same
just also still only very really actually currently now today anymore again
up down out off
""".split()

# Only words that never name a topic themselves: "care", "point" or "help" do
# ("customer care", "point of sale", "help desk"), so they appear in phrases below.
_QUESTION_FILLER = """
hey hi hello hiya yo hola morning afternoon folks everyone anybody anyone someone somebody
please pls plz thanks thank thx ty cheers sorry quick question questions ask asking
bot raci know knows tell telling wonder wondering curious
own owns owned owner owners ownership owning
responsible responsibility responsibilities accountable accountability consulted informed
contact contacts poc talk talking speak reach ping dm goto go-to
person guy guys individual handles handle find
""".split()

FILLER_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "point of contact", "in charge of", "in charge", "take care of", "takes care of",
        "taking care of", "look after", "looks after", "looking after", "go to", "reach out",
        "help me", "can you help", "who is the person", "main person", "right person",
        "best person", "the right", "is on the hook", "on the hook", "which team", "what team",
        "which squad", "what squad", "which group",
    )
)

# Single letters carry nothing on their own; "a/b" and similar are folded into one term
# by the lexicon before filler is dropped.
# Question filler that may also be part of an activity's name ("Review model ownership"): the
# index keeps such a word as a term when a name or alias of the organisation contains it.
QUESTION_FILLER: frozenset[str] = frozenset(_QUESTION_FILLER)

FILLER: frozenset[str] = (
    frozenset(_FUNCTION_WORDS) | frozenset(_QUESTION_FILLER) | frozenset(string.ascii_lowercase)
)

# Topic words so common across organisations that one of them alone must never decide.
WEAK: frozenset[str] = frozenset("""
data model team report system service process policy code tool project work task issue
general misc other new info information update item setup mgmt platform program request
support operations ops internal
""".split())

# Words that say what is wrong or wanted rather than what it is about ("our cdn is slow",
# "docker builds are failing, who can fix it?"). People ask "who owns X" because X is in
# trouble, so when no activity contains such a word it barely counts against a match;
# when an activity does ("Incident response", "Bug triage"), it counts as usual.
SITUATION: frozenset[str] = frozenset("""
broken broke breaks breaking slow slowness sluggish failing failed fails failure failures fail
red flaky outage outages erroring error errors bug bugs buggy crash crashed crashes crashing
stuck expired expiring missing wrong weird strange issue issues problem problems trouble
urgent asap blocked blocking degraded timeout timeouts timing alert alerts alerting paging paged
fix fixes fixing fixed change changes changing tweak adjust help question questions
working work works doesnt dont isnt arent cant wont didnt hasnt havent
""".split())
