"""The numbers that decide how learning behaves, each with how it was chosen."""

from __future__ import annotations

# Different people who must pick the same activity for the same question before it is active,
# when `settings.learning.confirmations` is not set: one person can be wrong or mischievous;
# two agreeing is what the issue asks for, and an Accountable holder can always approve sooner.
DEFAULT_CONFIRMATIONS = 2

# Longest phrase we learn, in characters. Questions people type in Slack are far shorter (the
# longest of the shared dev sets' 500+ queries is under 100); 150 leaves the picker room to carry
# the question with the asker and channel in a Slack block_id (255 characters at most).
MAX_PHRASE_CHARS = 150

# Options in the activity picker: Slack shows at most 100 per external_select response, and a
# person types to narrow; 20 fill the menu without making the response slow to build.
MAX_PICKER_OPTIONS = 20

# Pending phrases shown in App Home: beyond this the section says how many more there are
# (a view holds 100 blocks; each phrase takes two).
MAX_HOME_PENDING = 20
